import {
  type Client,
  type ClientEvents,
  type ClientOptions,
  createClient,
  type DroppedEvent,
  type ReliableOptions,
  type StandardSchemaV1,
  type Transport,
} from '@resock/core';
import {
  createFakeTransport,
  createVirtualClock,
  type FakeConnection,
  type FakeTransportOptions,
  seededRandom,
} from '@resock/core/testing';

export const URL_WITH_TOKEN = 'wss://api.example.test/socket?token=s3cret&room=7';

type EventName = keyof ClientEvents;
/** Every event a client emits (the harness records them all). */
export const eventNames: EventName[] = [
  'open',
  'message',
  'close',
  'reconnecting',
  'failed',
  'state',
  'error',
  'dropped',
  'invalidMessage',
  'acked',
];

/** A client on a fake transport and a virtual clock, recording every event it emits. */
export function harness<TMessage = string | ArrayBuffer | Uint8Array>(
  options: Partial<ClientOptions<TMessage>> = {},
  transportOptions: FakeTransportOptions = {},
) {
  const clock = createVirtualClock(Date.UTC(2026, 10, 21, 12));
  const transport = createFakeTransport(transportOptions);
  const client: Client<TMessage> = createClient<TMessage>({
    url: URL_WITH_TOKEN,
    transport,
    clock,
    random: seededRandom(42),
    ...options,
  } as ClientOptions<TMessage>);
  const events: Array<{ name: EventName; payload: unknown }> = [];
  for (const name of eventNames) {
    client.on(name, ((payload: unknown) => events.push({ name, payload })) as never);
  }
  const of = <T = unknown>(name: EventName) => events.filter((e) => e.name === name).map((e) => e.payload as T);
  return { clock, transport, client, events, of, names: () => events.map((e) => e.name) };
}

/** A Standard Schema that validates with `validate`. */
export function schemaFrom(
  validate: StandardSchemaV1<unknown, unknown>['~standard']['validate'],
): StandardSchemaV1<unknown, unknown> {
  return { '~standard': { version: 1, vendor: 'test', validate } };
}

/** An async Standard Schema that holds every message until `release()` (validation still running). */
export function gatedSchema() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const schema: StandardSchemaV1<unknown, unknown> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: async (value) => {
        await gate;
        return { value };
      },
    },
  };
  return { schema, release: () => release(), gate };
}

/** The `dropped` events a harness recorded, as `"<data> <reason>"`. */
export const drops = (of: ReturnType<typeof harness>['of']) =>
  of<DroppedEvent>('dropped').map(({ data, reason }) => `${String(data)} ${reason}`);

/** Messages `{"id":n}` are tracked; the server acknowledges with `{"ack":n}`. */
export const jsonReliable: ReliableOptions = {
  id: (message) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming) => (typeof incoming === 'string' ? (JSON.parse(incoming) as { ack?: number }).ack : undefined),
};

/** The fake transport, with `write` standing in for each send(): it may call back from inside. */
export function callingBack(write: (conn: FakeConnection, send: () => void, data: unknown) => void) {
  const fake = createFakeTransport();
  const transport: Transport = {
    connect(request, handlers) {
      const platform = fake.connect(request, handlers);
      const conn = fake.last();
      return {
        send: (data) => write(conn, () => platform.send(data), data),
        close: (code, reason) => platform.close(code, reason),
        terminate: () => platform.terminate?.(),
      };
    },
  };
  return { fake, transport };
}
