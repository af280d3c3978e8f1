import type { OutboundMessage } from '../client/queue';
import type { ConnectRequest, RawClose, Transport, TransportConnection, TransportHandlers } from '../transport';

type Outbound = OutboundMessage;

/** One connection attempt of the fake transport, driven by the test. */
export interface FakeConnection {
  readonly request: ConnectRequest;
  readonly sent: Outbound[];
  /** `connecting` until accepted; `closed` once the client was told it closed. */
  readonly state: 'connecting' | 'open' | 'closed';
  /** What the client passed to `close()`, if it called it. */
  readonly closeCall: { code?: number; reason?: string } | undefined;
  readonly terminated: boolean;
  readonly pings: number;
  /** The client asked it to stop reading (`pause()`, back-pressure) and has not resumed it. */
  readonly paused: boolean;
  /** The server accepts the handshake. */
  accept(info?: { protocol?: string; extensions?: string }): void;
  /** The server answers the handshake with an HTTP status (only some platforms see it). */
  reject(status: number, headers?: Record<string, string>): void;
  /** The attempt fails without an answer (refused, reset, DNS). */
  fail(error?: unknown): void;
  /** A message from the server. */
  deliver(data: string | ArrayBuffer | Uint8Array): void;
  /** The server closes with a close frame. */
  serverClose(code: number, reason?: string): void;
  /** The link dies: 1006, no close frame. */
  drop(error?: unknown): void;
  /** From now on pings get no pong and the client's close frames no answer. */
  goSilent(): void;
  /** A protocol pong (needed only after `goSilent`, or with `autoPong: false`). */
  pong(): void;
  /**
   * From now on (or, with false, no longer) the socket refuses sends and reports no close: its
   * close has begun, as when a server sends a close frame and then holds the TCP connection.
   */
  refuseSends(refuse?: boolean): void;
  /** Any raw close, for cases the helpers above do not cover. */
  emitClose(raw: RawClose): void;
  /**
   * Bytes moved on the link without a whole message (a large one crossing a slow link): the
   * connection's `progress` grows by `bytes`.
   */
  moveBytes(bytes?: number): void;
  /** What the socket reports as `bufferedAmount`: bytes still waiting in the process to be sent. */
  setBuffered(bytes: number): void;
}

export interface FakeTransportOptions {
  /** Connections expose `ping()` (like `ws`). @default true */
  ping?: boolean;
  /** Connections expose `terminate()` (like `ws`). @default true */
  terminate?: boolean;
  /** Answer each ping with a pong at once. @default true */
  autoPong?: boolean;
  /** Connections can stop reading, `pause()`/`resume()` (like `ws`; a browser's cannot). @default true */
  pause?: boolean;
}

export interface FakeTransport extends Transport {
  /** Every attempt, oldest first. */
  readonly connections: readonly FakeConnection[];
  /** The newest attempt. Throws when there is none, so a test cannot pass on a missing attempt. */
  last(): FakeConnection;
  /** Make the next `connect()` throw (a transport that cannot even start). */
  failNextConnect(error: unknown): void;
}

/**
 * A transport for unit tests: every connection waits for the test to accept, reject, close
 * or drop it, so tests decide exactly what happens and when (use it with `createVirtualClock`).
 * Callbacks run synchronously when the test calls the helper.
 */
export function createFakeTransport(options: FakeTransportOptions = {}): FakeTransport {
  const connections: FakeConnection[] = [];
  let nextConnectError: { error: unknown } | undefined;
  return {
    connections,
    last() {
      const connection = connections.at(-1);
      if (!connection) throw new Error('the fake transport has no connection yet');
      return connection;
    },
    failNextConnect(error) {
      nextConnectError = { error };
    },
    connect(request, handlers) {
      if (nextConnectError) {
        const { error } = nextConnectError;
        nextConnectError = undefined;
        throw error;
      }
      const connection = createConnection({ url: request.url, protocols: [...request.protocols] }, handlers, options);
      // (connectTimeoutMs is core's to enforce here: the fake has no deadline of its own)
      connections.push(connection.fake);
      return connection.platform;
    },
  };
}

function createConnection(request: ConnectRequest, handlers: TransportHandlers, options: FakeTransportOptions) {
  let state: FakeConnection['state'] = 'connecting';
  let closeCall: FakeConnection['closeCall'];
  let terminated = false;
  let silent = false;
  let refusing = false;
  let pings = 0;
  let paused = false;
  let buffered = 0;
  let progress = 0;
  const sent: Outbound[] = [];

  const finish = (raw: RawClose) => {
    if (state === 'closed') return;
    state = 'closed';
    handlers.onClose(raw);
  };

  const fake: FakeConnection = {
    request,
    sent,
    get state() {
      return state;
    },
    get closeCall() {
      return closeCall;
    },
    get terminated() {
      return terminated;
    },
    get pings() {
      return pings;
    },
    get paused() {
      return paused;
    },
    accept(info = {}) {
      if (state !== 'connecting') throw new Error(`cannot accept a connection that is ${state}`);
      state = 'open';
      handlers.onOpen({ protocol: info.protocol ?? '', extensions: info.extensions ?? '' });
    },
    reject(status, headers = {}) {
      handlers.onError(new Error(`Unexpected server response: ${status}`));
      finish({ code: 1006, reason: '', wasClean: false, handshake: { status, headers } });
    },
    fail(error = new Error('connect ECONNREFUSED')) {
      handlers.onError(error);
      finish({ code: 1006, reason: '', wasClean: false, error });
    },
    deliver(data) {
      if (state !== 'open') throw new Error(`cannot deliver on a connection that is ${state}`);
      handlers.onMessage(data);
    },
    serverClose(code, reason = '') {
      finish({ code, reason, wasClean: true });
    },
    drop(error) {
      finish(
        error === undefined
          ? { code: 1006, reason: '', wasClean: false }
          : { code: 1006, reason: '', wasClean: false, error },
      );
    },
    goSilent() {
      silent = true;
    },
    pong() {
      handlers.onPong?.();
    },
    refuseSends(refuse = true) {
      refusing = refuse;
    },
    emitClose: finish,
    moveBytes(bytes = 1) {
      progress += bytes;
    },
    setBuffered(bytes) {
      buffered = bytes;
    },
  };

  const platform: TransportConnection = {
    send(data) {
      if (state !== 'open' || refusing) throw new Error(`send on a connection that is ${refusing ? 'closing' : state}`);
      sent.push(data);
    },
    close(code, reason) {
      closeCall = code === undefined ? {} : reason === undefined ? { code } : { code, reason };
      // A live server echoes the close frame; a silent one never answers.
      if (!silent && state !== 'closed') {
        finish({ code: code ?? 1005, reason: reason ?? '', wasClean: state === 'open' });
      }
    },
    get bufferedAmount() {
      return buffered;
    },
    get progress() {
      return progress;
    },
  };
  if (options.pause !== false) {
    platform.pause = () => {
      paused = true;
    };
    platform.resume = () => {
      paused = false;
    };
  }
  if (options.terminate !== false) {
    platform.terminate = () => {
      terminated = true;
      finish({ code: 1006, reason: '', wasClean: false });
    };
  }
  if (options.ping !== false) {
    platform.ping = () => {
      pings++;
      if (!silent && options.autoPong !== false) handlers.onPong?.();
    };
  }
  return { fake, platform };
}
