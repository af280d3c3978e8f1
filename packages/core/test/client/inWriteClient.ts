// A client on a hand-written in-process transport that runs app code inside its send(): the
// setup of the tests of what that code may do (appCodeInWrites*.test.ts, scalingInWrites.test.ts).
import { type Client, createClient, type DroppedEvent, type Transport } from '@resock/core';
import { createFakeTransport, createVirtualClock, type FakeEnvironment } from '@resock/core/testing';
import type { QueueOverflow } from '../../src/client/queue';
import { jsonReliable } from './clientHarness';

export interface InWriteOptions {
  reliable?: boolean;
  queue?: { maxMessages: number; maxBytes: number; overflow: QueueOverflow };
  environment?: FakeEnvironment;
  /** Run the app code before the frame is handed to the socket (an app's beforeSend hook), not after. */
  before?: boolean;
}

/**
 * `during(data, client)` runs inside each write; `closedAt` notes how many frames each
 * connection had sent when the client sent its close frame.
 */
export function inWriteClient(during: (data: unknown, client: Client) => void, options: InWriteOptions = {}) {
  let app = (_data: unknown) => {};
  const clock = createVirtualClock(0);
  const fake = createFakeTransport();
  const closedAt: number[] = [];
  const transport: Transport = {
    connect(request, handlers) {
      const platform = fake.connect(request, handlers);
      const conn = fake.last();
      return {
        send(data) {
          if (options.before) app(data);
          platform.send(data); // throws once the socket is gone
          if (!options.before) app(data);
        },
        close(code, reason) {
          closedAt.push(conn.sent.length);
          platform.close(code, reason);
        },
      };
    },
  };
  const client = createClient({
    url: 'wss://x.test/',
    transport,
    clock,
    ...(options.reliable ? { reliable: jsonReliable } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const setDuring = (next: typeof during) => {
    app = (data) => next(data, client);
  };
  setDuring(during);
  const dropped: string[] = [];
  client.on('dropped', ({ data, reason }: DroppedEvent) => dropped.push(`${String(data)} ${reason}`));
  const conn = fake.last();
  /** `data` waits on an open socket (refused at open), so the next send() flushes it first. */
  const backlog = (...data: string[]) => {
    for (const message of data) client.send(message);
    conn.refuseSends(true);
    conn.accept();
    conn.refuseSends(false);
  };
  return { fake, conn, client, dropped, closedAt, clock, setDuring, backlog };
}
