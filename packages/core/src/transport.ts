/**
 * THE boundary between resock and a platform. `@resock/node` implements it on `ws`,
 * `@resock/browser` on the native `WebSocket` (React Native's too); users write their own for
 * Deno or tests. Nothing on this side of it ever sees a platform event, a `Buffer` or `ws`.
 */
import type { OutboundMessage } from './client/queue';
import type { AttemptContext } from './options';

export interface ConnectRequest {
  /** The resolved URL of this attempt. */
  url: string;
  protocols: string[];
  /** The client's connect deadline, which the client enforces; a transport may also pass it on. */
  connectTimeoutMs?: number;
  /** How long a close handshake may take; a transport may enforce it natively too (ws `closeTimeout`). */
  closeTimeoutMs?: number;
  /**
   * Set when the client's options restrict where it may connect (`requireTls`): a transport that
   * follows redirects asks it of every hop, and fails the attempt on a refusal.
   */
  mayConnectTo?: (url: string) => boolean;
}

/** A close as the platform reported it, before core normalizes it. */
export interface RawClose {
  code: number;
  reason: string;
  wasClean: boolean;
  /** The HTTP answer of a rejected handshake, where the platform can see it. */
  handshake?: { status?: number; headers?: Record<string, string | undefined> };
  /** The platform's error, if it gave one (`ECONNREFUSED`, `WS_ERR_INVALID_UTF8`, …). */
  error?: unknown;
  /** The transport ended it itself (a limit of its own, such as ws's maxPayload), not the peer. */
  initiator?: 'transport';
}

export interface TransportHandlers {
  /** `url`: where the connection ended up, when a redirect the transport followed took it elsewhere. */
  onOpen(info: { protocol: string; extensions: string; url?: string | undefined }): void;
  /** Text as `string`; binary as `ArrayBuffer` or `Uint8Array`. */
  onMessage(data: string | ArrayBuffer | Uint8Array): void;
  /** Called once per connection, last. A transport that never closes is bounded by core's deadlines. */
  onClose(raw: RawClose): void;
  /** A hint only: the close that follows (or core's deadline) decides what happens. */
  onError(error: unknown): void;
  /** A protocol pong arrived (transports whose connection has `ping`). */
  onPong?(data?: Uint8Array): void;
}

export interface TransportConnection {
  /**
   * Throws when the socket cannot carry the message — above all once its close has begun (the
   * peer's close frame arrived): core then keeps the message queued and gives the close
   * `closeTimeoutMs` to arrive. A transport that silently discards instead loses the message.
   * It may call its handlers from inside send() (a loopback's reply, a drop it noticed): core
   * acts on them once the write is done. A Blob is the app's (`send(blob)`): pass it to the
   * socket as it is (every WebSocket reads it itself, in order); one it cannot carry is refused
   * at `send()` by `Transport.accepts`, not here (a throw here is a closing socket).
   */
  send(data: OutboundMessage): void;
  /** Polite close: sends a close frame. Core has validated the arguments. */
  close(code?: number, reason?: string): void;
  /** Drop now, no close frame (Node `ws`). Without it core closes politely and detaches. */
  terminate?(): void;
  /**
   * Close politely and let go (the app's reconnect() moves on): the close frame goes after what
   * the socket still has to write, and the transport ends the socket itself, on the server's
   * answer or at its close deadline, holding no process open meanwhile. Without it core sends
   * the frame and terminates at once where it can (a frame not written yet is then lost).
   */
  leave?(code: number, reason: string): void;
  /**
   * Protocol ping where the platform has one; its pong arrives through `onPong`, with the
   * ping's `data` echoed (RFC 6455 §5.5.3), so a caller can tell which ping a pong answers.
   */
  ping?(data?: Uint8Array): void;
  /**
   * Stop reading from the socket (`pause`), and read again (`resume`): back-pressure while the
   * app's async `messages` schema falls behind, so TCP slows the server down. Without them (a
   * browser's WebSocket has none) what arrives waits in memory for its turn to be validated,
   * up to a limit past which the connection is let go.
   */
  pause?(): void;
  resume?(): void;
  /** Bytes handed to the platform and not yet sent. */
  readonly bufferedAmount?: number;
  /**
   * A count that grows while bytes move on the link: received, or handed on from the platform's
   * buffer to the network. Read only when a deadline is due (an unanswered ping, a close
   * handshake): a link still moving bytes — a large message crossing it holds the pong or the
   * close frame behind it — is slow, not dead, and gets another deadline.
   */
  readonly progress?: number;
}

export interface Transport {
  /**
   * Runs before each attempt's `connect()`, once its URL is resolved, and may be async (a token
   * fetched for a header): its time counts toward the connect deadline, and a throw or a
   * rejection fails the attempt (an `error` event). It may add to `request` what its
   * `connect()` needs: the same object is passed on. An attempt given up meanwhile is not dialed.
   */
  prepare?(request: ConnectRequest, context: AttemptContext): void | Promise<void>;
  /** Starts one connection attempt. May throw; core records that as a failed attempt. */
  connect(request: ConnectRequest, handlers: TransportHandlers): TransportConnection;
  /**
   * Every connection has `ping()` (a protocol ping any standard server answers), so a heartbeat
   * needs no `message`. `@resock/node` turns the heartbeat on by default for such a transport.
   */
  readonly pings?: boolean;
  /**
   * Whether its connections can carry `data`, which core has already found to be text, binary or
   * a Blob; false makes `send()` throw `InvalidMessageError` at the call. Absent: all of them.
   */
  accepts?(data: OutboundMessage): boolean;
  /**
   * Why it cannot run here (a runtime without a WebSocket), asked once by `createClient`: an
   * `InvalidOptionsError` there, not every attempt failing alike for ever. Absent: it can.
   */
  unavailable?(): string | undefined;
}
