import { isBlob } from '../binary';
import type { OutboundMessage } from '../client/queue';
import type { RawClose, Transport, TransportHandlers } from '../transport';
import { drainMeter } from './drainMeter';

/**
 * The parts of a WHATWG `WebSocket` (browsers, undici, Deno, Bun) this adapter uses. `send` and
 * the listeners take whatever the platform's own types say (`never` and `any` here): lib.dom's
 * `Blob` is not resock's `BlobLike`, its listeners are overloads per event, and undici's differ
 * again, yet each platform's constructor must be accepted as it is.
 */
export interface WebSocketLike {
  binaryType: string;
  /** 1 is OPEN. */
  readonly readyState: number;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  send(data: never): void;
  close(code?: number, reason?: string): void;
  // biome-ignore lint/suspicious/noExplicitAny: a listener of any platform's event types (see above)
  addEventListener(type: string, listener: (event: any) => void): void;
  // biome-ignore lint/suspicious/noExplicitAny: as addEventListener
  removeEventListener(type: string, listener: (event: any) => void): void;
}

export type WebSocketConstructorLike = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface WhatwgTransportOptions {
  /** The constructor to use. @default globalThis.WebSocket, looked up at each connect */
  WebSocket?: WebSocketConstructorLike | undefined;
}

interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** Marks resock's WebSocket facade (and its subclasses), across copies of resock in one realm. */
export const facadeMark: unique symbol = Symbol.for('resock.ReconnectingWebSocket');

const globalWebSocket = () => (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
const isFacade = (Ctor: object) => facadeMark in Ctor;

/**
 * The runtime's own WebSocket, kept by the first copy of resock that loads before a facade is
 * the global, for every copy: one loaded later (a widget's bundle, a hot reload) finds the
 * facade there, not the platform's.
 */
const platformKey = Symbol.for('resock.platformWebSocket');
const shared = globalThis as { [platformKey]?: WebSocketConstructorLike };
const loaded = globalWebSocket();
if (loaded && !isFacade(loaded)) shared[platformKey] ??= loaded;

// The platform's own Blob `size` getter: it works on a Blob the platform made (of any realm,
// WebIDL brand checks being by interface) and throws on one of a library's (fetch-blob,
// formdata-node), which undici's WebSocket would send as the text "[object Blob]" (measured).
const blobSize = Object.getOwnPropertyDescriptor(
  (globalThis as { Blob?: { prototype: object } }).Blob?.prototype ?? {},
  'size',
)?.get;

function platformBlob(data: unknown): boolean {
  if (!blobSize) return true; // no Blob of its own: the WebSocket's to judge
  try {
    blobSize.call(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * A transport on any WHATWG `WebSocket`. Two platform facts shape it:
 * - an `error` before `open` ends the attempt at once with a 1006 record, because Node 22's
 *   global WebSocket (undici 6) never fires `close` after a failed handshake;
 * - there is no ping and no terminate, so core's deadlines close politely and detach.
 * Binary arrives as `ArrayBuffer` (`binaryType = 'arraybuffer'`).
 */
export function whatwgTransport(options: WhatwgTransportOptions = {}): Transport {
  const noWebSocket =
    'this runtime has no WebSocket: pass one as `WebSocket`, or another transport (Node: @resock/node)';
  return {
    accepts: (data) => !isBlob(data) || platformBlob(data),
    // Checked at createClient: every attempt would fail alike, retried for ever as a lost link.
    unavailable: () => (constructorOf(options) ? undefined : noWebSocket),
    connect(request, handlers) {
      const Ctor = constructorOf(options);
      if (!Ctor) throw new TypeError(noWebSocket);
      const socket = new Ctor(request.url, request.protocols);
      socket.binaryType = 'arraybuffer';
      return attach(socket, handlers);
    },
  };
}

/** The WebSocket to use, looked up at each call (a test may install one). */
function constructorOf(options: WhatwgTransportOptions) {
  const Ctor = options.WebSocket ?? globalWebSocket();
  // resock's own facade as the global WebSocket (installed so that other code reconnects too)
  // would open facades inside facades, without end: the runtime's own WebSocket carries its
  // connections instead.
  return Ctor && isFacade(Ctor) ? shared[platformKey] : Ctor;
}

function attach(socket: WebSocketLike, handlers: TransportHandlers) {
  let opened = false;
  let finished = false;
  const finish = (raw: RawClose) => {
    if (finished) return;
    finished = true;
    socket.removeEventListener('open', onOpen);
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('error', onError);
    socket.removeEventListener('close', onClose);
    handlers.onClose(raw);
  };
  let handed = 0;
  let meter: ReturnType<typeof drainMeter> | undefined;
  const onOpen = () => {
    opened = true;
    handlers.onOpen({ protocol: socket.protocol, extensions: socket.extensions });
  };
  const onMessage = (event: { data: string | ArrayBuffer }) => handlers.onMessage(event.data);
  const onError = (event: { error?: unknown; message?: unknown }) => {
    const error = event.error ?? (typeof event.message === 'string' ? new Error(event.message) : undefined);
    handlers.onError(error ?? event);
    // Failed handshake: a browser follows with close 1006; Node 22's undici 6 never does.
    if (!opened) finish({ code: 1006, reason: '', wasClean: false, ...(error === undefined ? {} : { error }) });
  };
  const onClose = (event: CloseEventLike) =>
    finish({ code: event.code, reason: event.reason, wasClean: event.wasClean });
  socket.addEventListener('open', onOpen);
  socket.addEventListener('message', onMessage);
  socket.addEventListener('error', onError);
  socket.addEventListener('close', onClose);
  return {
    send: (data: OutboundMessage) => {
      // A WebSocket whose close has begun discards what it is given without a word; refusing
      // instead keeps the message queued for the next connection (see TransportConnection.send).
      if (socket.readyState !== 1) throw new Error('WebSocket is not open');
      // A view on a SharedArrayBuffer: browsers refuse it (WebIDL BufferSource is not
      // [AllowShared]), which would cycle connections, and undici 7 sends it as the text
      // "7,0,255" (both measured). A copy is what the app meant; one from another realm is
      // copied too, which costs a copy, not correctness.
      const before = socket.bufferedAmount;
      socket.send(
        (ArrayBuffer.isView(data) && !(data.buffer instanceof ArrayBuffer)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
          : data) as never,
      );
      // What send() added to bufferedAmount (its UTF-8 or binary size, counted by the socket).
      handed += socket.bufferedAmount - before;
    },
    // No code: a bare close(), as Chromium takes close(undefined, reason) for code 0 and throws.
    close: (code?: number, reason?: string) => (code === undefined ? socket.close() : socket.close(code, reason)),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    // What left bufferedAmount for the network (a WebSocket shows no bytes received before a
    // whole message).
    get progress() {
      meter ??= drainMeter();
      return meter(0, handed - socket.bufferedAmount, socket.bufferedAmount);
    },
  };
}
