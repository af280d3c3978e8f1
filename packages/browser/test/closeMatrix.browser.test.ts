import type { Scenario } from '@resock/test-utils';
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium: close matrix${skipReason}`, () => {
  const harness = useBrowserHarness();

  /** Connects a client in the page, and returns the first close record and what the policy decided. */
  async function firstClose(scenario: Scenario) {
    harness().server.plan(scenario);
    return harness().page.evaluate(async (url) => {
      const client = window.resock.createClient({ url, policy: {} });
      const result = await new Promise<{ record: unknown; decision: unknown }>((resolve) => {
        let record: unknown;
        client.on('close', (r) => {
          record ??= r;
        });
        client.on('reconnecting', ({ decision }) => resolve({ record, decision }));
        client.on('failed', ({ decision }) => resolve({ record, decision }));
      });
      await client.close();
      return result;
    }, `${harness().server.url}/matrix`);
  }

  describe('what Chromium reports, and what the default policy decides', () => {
    it('4001 with its reason, clean: retried with back-off', async () => {
      const { record, decision } = await firstClose({ kind: 'close', code: 4001, reason: 'token expired: é' });
      expect(record).toMatchObject({
        code: 4001,
        reason: 'token expired: é',
        wasClean: true,
        phase: 'open',
        initiator: 'server',
        synthetic: false,
      });
      expect(decision).toMatchObject({ action: 'retry', rule: 'default:transient' });
    });

    it('a terminated connection is 1006, not clean: retried', async () => {
      const { record, decision } = await firstClose({ kind: 'terminate', afterMs: 20 });
      expect(record).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'transport' });
      expect(decision).toMatchObject({ action: 'retry', rule: 'default:transient' });
    });

    it('HTTP 401 is a 1006 in connecting, with nothing known (the browser hides it): retried by handshake-unknown', async () => {
      const { record, decision } = await firstClose({ kind: 'reject', status: 401 });
      expect(record).toMatchObject({ code: 1006, wasClean: false, phase: 'connecting', initiator: 'transport' });
      expect(record).not.toHaveProperty('handshake');
      expect(record).not.toHaveProperty(['error', 'code']);
      expect(record).toMatchObject({ reason: '' });
      expect(decision).toMatchObject({ action: 'retry', rule: 'default:handshake-unknown' });
    });

    it('1000 from the server stops', async () => {
      const { record, decision } = await firstClose({ kind: 'close', code: 1000, reason: 'bye' });
      expect(record).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
      expect(decision).toMatchObject({ action: 'stop', rule: 'default:normal-closure' });
    });

    it('1012 waits a random 5–30 s', async () => {
      const { decision } = await firstClose({ kind: 'close', code: 1012 });
      expect(decision).toMatchObject({ action: 'retry', rule: 'default:service-restart' });
      const { delayMs } = decision as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(5000);
      expect(delayMs).toBeLessThanOrEqual(30_000);
    });

    // The handshake's Retry-After never reaches a page; a hint in the close reason does.
    it('1013 with a retry hint in its reason waits what the server asked (120 s, +0–10 %)', async () => {
      const { record, decision } = await firstClose({ kind: 'close', code: 1013, reason: '{"retryAfter":120}' });
      expect(record).toMatchObject({ code: 1013, reason: '{"retryAfter":120}', initiator: 'server' });
      expect(decision).toMatchObject({ action: 'throttle', rule: 'default:try-again-later' });
      const { delayMs } = decision as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(120_000);
      expect(delayMs).toBeLessThanOrEqual(132_000);
    });

    it('1008 needs a refresh hook, and without one stops', async () => {
      const { decision } = await firstClose({ kind: 'close', code: 1008 });
      expect(decision).toMatchObject({ action: 'stop', stopReason: 'refreshUnavailable' });
    });

    it('a server that sends its close frame and holds TCP: a send then waits, and arrives on the next connection', async () => {
      const { server } = harness();
      server.plan({ kind: 'halfClose', code: 4000 });
      const closesBefore = server.clientCloses.length;
      const receivedBefore = server.received.length;
      await harness().page.evaluate(async (url) => {
        // The first socket, kept to see when the page learns of the close (see below).
        const sockets: WebSocket[] = [];
        const Kept = class extends WebSocket {
          constructor(...args: ConstructorParameters<typeof WebSocket>) {
            super(...args);
            sockets.push(this);
          }
        };
        const client = window.resock.createClient({
          url,
          closeTimeoutMs: 1000,
          policy: { backoff: { type: 'constant', delayMs: 0 } },
          transport: window.resock.browserTransport({ WebSocket: Kept }),
        });
        window.state = { halfClosed: client, sockets };
        await client.opened();
      }, `${server.url}/half`);
      await server.waitForClientClose(closesBefore + 1); // Chromium answered the close frame
      const { sent, record } = await harness().page.evaluate(async () => {
        const client = window.state.halfClosed as ReturnType<typeof window.resock.createClient>;
        // Chromium's network process answers the close frame before the page's socket says
        // CLOSING (no event marks it): until then a send is the page's to make, and is lost.
        const socket = (window.state.sockets as WebSocket[])[0] as WebSocket;
        while (socket.readyState === WebSocket.OPEN) await new Promise((resolve) => setTimeout(resolve, 5));
        const closed = new Promise<unknown>((resolve) => client.once('close', resolve));
        const sent = client.send('sent while closing'); // Chromium would discard it silently
        return { sent, record: await closed };
      });
      expect(sent).toBe('queued');
      // Chromium waits longer than that for the server's TCP end (measured): resock's deadline lets go.
      expect(record).toMatchObject({ code: 1006, phase: 'open', initiator: 'timeout', synthetic: true });
      const received = await server.waitForReceived(receivedBefore + 1);
      expect(received.at(-1)?.data).toBe('sent while closing');
      await harness().page.evaluate(() => (window.state.halfClosed as { close(): Promise<unknown> }).close());
    });

    it('close(1001) is resock’s typed error at the call, not a DOMException', async () => {
      const error = await harness().page.evaluate(() => {
        const client = window.resock.createClient({ url: 'ws://127.0.0.1:9/', lazy: true });
        try {
          void client.close(1001);
        } catch (e) {
          return { name: (e as Error).name, message: (e as Error).message };
        }
        return null;
      });
      expect(error).toMatchObject({
        name: 'InvalidCloseCodeError',
        message: expect.stringMatching(/1000 or a code in 3000–4999/),
      });
    });
  });
});
