import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { jsonField } from './jsonAcks';

/** What the server does with one connection attempt. */
export type Scenario =
  /** Accept and echo every message (the default). */
  | { kind: 'echo' }
  /** Accept, then close with a close frame after `afterMs`; no `code` sends an empty frame (1005). */
  | { kind: 'close'; code?: number; reason?: string; afterMs?: number }
  /** Accept, then drop without a close frame (`ws.terminate()`). */
  | { kind: 'terminate'; afterMs?: number }
  /** Accept, then destroy the TCP socket. */
  | { kind: 'destroy'; afterMs?: number }
  /** Answer the upgrade with an HTTP status instead of 101. */
  | { kind: 'reject'; status: number; headers?: Record<string, string> }
  /** Never answer the upgrade. */
  | { kind: 'hang' }
  /** Accept, then stop reading: no pongs, no echoes, no close handshake. */
  | { kind: 'silent' }
  /** Accept, then push `count` messages at once (then echo); `json`: each a JSON string, for a schema to validate. */
  | { kind: 'stream'; count: number; json?: boolean }
  /** Accept; acknowledge each JSON message `{ id }` with `{ ack: id }` (reliable delivery's peer); echo anything else. */
  | { kind: 'ack' }
  /** Accept; answer each binary message with its size (`got <bytes>`): a large upload without a large download; echo text. */
  | { kind: 'size' }
  /** Accept, then write these bytes raw to the TCP socket and end it (hand-made frames a real server would not send). */
  | { kind: 'raw'; bytes: readonly number[] }
  /**
   * Accept, send a close frame with `code`, then hold the TCP connection for good: the client's
   * close frame is recorded (in `clientCloses`) but never answered, and TCP never ends.
   */
  | { kind: 'halfClose'; code: number }
  /** Accept with a `Sec-WebSocket-Protocol` the client never offered. */
  | { kind: 'unofferedProtocol'; protocol: string };

export interface Attempt {
  /** 1 for the first attempt the server saw. */
  readonly n: number;
  /** `performance.now()` when the upgrade request arrived. */
  readonly at: number;
  readonly path: string;
  readonly protocols: string[];
  readonly headers: IncomingMessage['headers'];
}

export interface Received {
  readonly attempt: number;
  readonly data: string | Buffer;
}

export interface ScenarioServer {
  readonly port: number;
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly attempts: readonly Attempt[];
  readonly received: readonly Received[];
  /** Close codes the server received from clients, in order. */
  readonly clientCloses: ReadonlyArray<{ attempt: number; code: number; reason: string }>;
  /** The scenarios for the next attempts, in order; then the default. */
  plan(...scenarios: Scenario[]): void;
  setDefault(scenario: Scenario): void;
  /** Every open WebSocket, keyed by attempt number. */
  readonly sockets: ReadonlyMap<number, WebSocket>;
  waitForAttempts(count: number, timeoutMs?: number): Promise<readonly Attempt[]>;
  /** Until `count` messages have arrived, or until `done` says what has arrived is enough. */
  waitForReceived(
    until: number | ((received: readonly Received[]) => boolean),
    timeoutMs?: number,
  ): Promise<readonly Received[]>;
  waitForClientClose(count: number, timeoutMs?: number): Promise<void>;
  /** Closes every open connection with a close frame (no code: an empty frame). */
  closeAll(code?: number, reason?: string): void;
  /** Drops every open connection without a close frame. */
  terminateAll(): void;
  /** Destroys every connection's TCP socket. */
  destroyAll(): void;
  /** Stops listening and drops every connection (the clients see 1006). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export interface ScenarioServerOptions {
  port?: number;
  default?: Scenario;
  /** Answers plain HTTP requests (a test page, a bundle); without it they get 426. */
  http?: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * `false` keeps no attempts, messages or client closes (the `waitFor…` helpers then never
   * finish): for leak tests, where the server's own records would be counted as the client's heap.
   */
  record?: boolean;
}

/** A `ws` server on 127.0.0.1 that does, per connection attempt, what the test planned. */
export async function startScenarioServer(options: ScenarioServerOptions = {}): Promise<ScenarioServer> {
  const events = new EventEmitter();
  const attempts: Attempt[] = [];
  const received: Received[] = [];
  const clientCloses: Array<{ attempt: number; code: number; reason: string }> = [];
  const queue: Scenario[] = [];
  const sockets = new Map<number, WebSocket>();
  const tcp = new Map<number, Socket>();
  const rawSockets = new Set<Socket>();
  const record = options.record ?? true;
  let seen = 0;
  let fallback: Scenario = options.default ?? { kind: 'echo' };
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => {
      const wanted = [...protocols];
      return wanted[0] ?? false;
    },
  });

  const answer = (req: IncomingMessage, res: ServerResponse) =>
    options.http ? options.http(req, res) : res.writeHead(426).end();
  let http: Server = createServer(answer);
  const wire = (server: Server) =>
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      rawSockets.add(socket);
      socket.on('close', () => rawSockets.delete(socket));
      const scenario = queue.shift() ?? fallback;
      const protocolHeader = req.headers['sec-websocket-protocol'];
      const attempt: Attempt = {
        n: ++seen,
        at: performance.now(),
        path: req.url ?? '/',
        protocols: protocolHeader ? protocolHeader.split(',').map((p) => p.trim()) : [],
        headers: req.headers,
      };
      if (record) attempts.push(attempt);
      events.emit('attempt');
      if (scenario.kind === 'hang') return;
      if (scenario.kind === 'reject') {
        const extra = Object.entries(scenario.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.end(
          `HTTP/1.1 ${scenario.status} ${STATUS_CODES[scenario.status] ?? 'Status'}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        return;
      }
      if (scenario.kind === 'unofferedProtocol') {
        const protocol = scenario.protocol;
        wss.once('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
      }
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, socket, attempt.n, scenario));
    });
  wire(http);

  function accept(ws: WebSocket, socket: Socket, n: number, scenario: Scenario) {
    sockets.set(n, ws);
    tcp.set(n, socket);
    ws.on('close', (code, reason) => {
      sockets.delete(n);
      tcp.delete(n);
      if (record) clientCloses.push({ attempt: n, code, reason: reason.toString() });
      events.emit('clientClose');
    });
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : (data as Buffer).toString();
      if (record) received.push({ attempt: n, data: text ?? (data as Buffer) });
      events.emit('received');
      if (ws.readyState !== WebSocket.OPEN) return;
      const id = scenario.kind === 'ack' && text !== undefined ? jsonField(text, 'id') : undefined;
      if (id !== undefined) ws.send(JSON.stringify({ ack: id }));
      else if (scenario.kind === 'size' && isBinary) ws.send(`got ${(data as Buffer).length}`);
      else ws.send(data, { binary: isBinary });
    });
    const later = (ms: number | undefined, work: () => void) => (ms ? setTimeout(work, ms) : work());
    switch (scenario.kind) {
      case 'close':
        later(scenario.afterMs, () =>
          scenario.code === undefined ? ws.close() : ws.close(scenario.code, scenario.reason),
        );
        break;
      case 'terminate':
        later(scenario.afterMs, () => ws.terminate());
        break;
      case 'destroy':
        later(scenario.afterMs, () => socket.destroy());
        break;
      case 'silent':
        socket.pause();
        break;
      case 'stream': {
        // A loop, not recursion: a flood of tens of thousands would overflow the stack.
        for (let sent = 1; sent <= scenario.count && ws.readyState === WebSocket.OPEN; sent++)
          ws.send(scenario.json ? `"message ${sent}"` : `message ${sent}`);
        break;
      }
      case 'raw':
        socket.end(Buffer.from(scenario.bytes));
        break;
      case 'halfClose':
        // Taken from ws, whose own close handshake would end TCP; the frames are written by hand.
        socket.removeAllListeners('data');
        socket.on('data', (chunk: Buffer) => {
          if (((chunk[0] ?? 0) & 0x0f) !== 8) return;
          // A client frame is masked: 2 header bytes, 4 mask bytes, then the code.
          const code = (((chunk[6] ?? 0) ^ (chunk[2] ?? 0)) << 8) | ((chunk[7] ?? 0) ^ (chunk[3] ?? 0));
          if (record) clientCloses.push({ attempt: n, code, reason: '' });
          events.emit('clientClose');
        });
        socket.write(Buffer.from([0x88, 2, scenario.code >> 8, scenario.code & 0xff]));
        break;
      default:
        break;
    }
  }

  const waitFor = async (event: string, done: () => boolean, timeoutMs: number, what: () => string) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (!done()) {
      try {
        await once(events, event, { signal: deadline });
      } catch {
        throw new Error(`scenario server: timed out after ${timeoutMs} ms waiting for ${what()}`);
      }
    }
  };

  const listen = async (port: number) => {
    http.listen(port, '127.0.0.1');
    await once(http, 'listening');
    return (http.address() as AddressInfo).port;
  };
  const port = await listen(options.port ?? 0);

  const server: ScenarioServer = {
    port,
    url: `ws://127.0.0.1:${port}`,
    attempts,
    received,
    clientCloses,
    sockets,
    plan: (...scenarios) => void queue.push(...scenarios),
    setDefault: (scenario) => {
      fallback = scenario;
    },
    async waitForAttempts(count, timeoutMs = 5000) {
      await waitFor(
        'attempt',
        () => attempts.length >= count,
        timeoutMs,
        () => `${count} attempts (saw ${attempts.length})`,
      );
      return attempts;
    },
    async waitForReceived(until, timeoutMs = 5000) {
      const done = typeof until === 'number' ? () => received.length >= until : () => until(received);
      await waitFor('received', done, timeoutMs, () =>
        typeof until === 'number' ? `${until} messages (saw ${received.length})` : `the messages expected`,
      );
      return received;
    },
    async waitForClientClose(count, timeoutMs = 5000) {
      await waitFor(
        'clientClose',
        () => clientCloses.length >= count,
        timeoutMs,
        () => `${count} client closes (saw ${clientCloses.length})`,
      );
    },
    closeAll(code, reason) {
      for (const ws of sockets.values()) code === undefined ? ws.close() : ws.close(code, reason);
    },
    terminateAll() {
      for (const ws of sockets.values()) ws.terminate();
    },
    destroyAll() {
      for (const socket of tcp.values()) socket.destroy();
    },
    async stop() {
      for (const ws of sockets.values()) ws.terminate();
      for (const socket of rawSockets) socket.destroy();
      if (http.listening) {
        const closed = once(http, 'close');
        http.close();
        http.closeAllConnections();
        await closed;
      }
    },
    async restart() {
      http = createServer(answer);
      wire(http);
      await listen(port);
    },
  };
  return server;
}
