import type { Socket } from 'node:net';
import { drainMeter, type OutboundMessage, type TransportConnection, type TransportHandlers } from '@resock/core';
import WebSocket from 'ws';

/** The connection resock holds: prototype methods, so each socket costs one small object. */
export class WsConnection implements TransportConnection {
  private pongs = false;
  // Set only when needed (declared, so no slot on every idle connection: the memory benchmark).
  declare private meter?: ReturnType<typeof drainMeter>;
  /** permessage-deflate was agreed: ws then compresses binary data later, from the caller's buffer. */
  declare deflate?: true;
  /** Blobs ws is still reading: it queues what is sent meanwhile, reading buffers later too. */
  declare private blobs?: number;
  /** The socket corked until the microtask (see coalesce). */
  declare private corked?: RawSocket | undefined;
  /** When this turn's last small message was sent (performance.now()); unset between turns. */
  declare private lastSent?: number | undefined;
  constructor(
    private readonly socket: WebSocket,
    private readonly handlers: TransportHandlers,
  ) {}
  send(data: OutboundMessage): void {
    // Once its close has begun ws drops what it is given without a word: refuse instead, so
    // core keeps the message for the next connection.
    if (this.socket.readyState !== WebSocket.OPEN) throw new Error('WebSocket is not open');
    // Coalescing saves system calls on small messages; a large one is written at once, after
    // what is held (holding it only delays it: measured, 16 KiB messages lost ~10 % throughput).
    if (sizeOf(data) < COALESCE_BYTES) this.coalesce();
    else this.flush();
    // A message reported sent must keep the bytes it had: ws reads them later with deflate (and
    // queues behind a message still compressing), and behind a Blob it is still reading, so it
    // gets a copy then, as a browser frames one. A string or a Blob cannot change (ws reads a
    // Blob itself, keeping the order).
    if (typeof data === 'string') this.socket.send(data);
    else if ('byteLength' in data) this.socket.send(this.deflate || this.blobs ? copyOf(data) : data);
    else {
      this.blobs = (this.blobs ?? 0) + 1;
      // Called once ws has read and written it, or given up (the socket closed): either way
      // it holds nothing sent after it any more.
      // A Blob by now: core lets a transport's platform Blob through (Transport.accepts).
      this.socket.send(data as Blob, () => {
        this.blobs = (this.blobs ?? 1) - 1;
      });
    }
    // Past a socket buffer's worth held, write now.
    if (this.corked && this.corked.writableLength >= COALESCE_BYTES) this.flush();
  }
  /**
   * Messages sent in one go (a burst, the answers to a batch of messages that came in one read)
   * leave in two writes: ws writes each frame at once, a system call apiece, and on a busy
   * connection those calls are most of a client's CPU. The first small message of a turn is
   * written at once: a worker that sends and then computes for seconds must not hold it (as
   * ws would not). One sent within BURST_GAP_MS of the one before corks the socket, uncorked in
   * a microtask: after the code that sent returns, before any I/O and before the code awaiting a
   * deliver() of the message runs (its continuation is queued after); and if the process exits
   * first, on its way out. Node's HTTP client batches its writes the same way. A send after a
   * longer gap (work came between) writes what is held and itself at once, so a loop that sends
   * progress between pieces of work is heard as it goes.
   */
  private coalesce(): void {
    const now = performance.now();
    const last = this.lastSent;
    this.lastSent = now;
    if (last === undefined) {
      queueMicrotask(() => {
        this.lastSent = undefined;
        this.flush();
      });
      return;
    }
    if (now - last >= BURST_GAP_MS) {
      this.flush();
      return;
    }
    if (this.corked) return;
    const raw = this.raw();
    if (!raw || raw.writableCorked) return; // corked by someone else: theirs to uncork
    this.corked = raw;
    raw.cork();
    held.add(raw);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', writeHeld);
    }
  }
  /** Writes what coalesce() holds. */
  private flush(): void {
    const raw = this.corked;
    if (!raw) return;
    this.corked = undefined;
    held.delete(raw);
    raw.uncork();
  }
  close(code?: number, reason?: string): void {
    // ws starts its close deadline at close(), and ends the socket when it fires: with a backlog
    // still in the process (a slow link), that cuts it. So the close frame waits for the
    // backlog to drain — when Node will say so ('drain' follows only a write that filled the
    // buffer; a little left over goes ahead of the frame anyway); core's close deadline,
    // extended while bytes move, bounds the wait.
    const raw = this.raw();
    if (raw?.writableNeedDrain && this.socket.readyState === WebSocket.OPEN) {
      raw.once('drain', () => this.socket.close(code, reason));
      return;
    }
    this.socket.close(code, reason);
  }
  terminate(): void {
    this.flush(); // what was sent before is written first, as it would have been without the cork
    this.socket.terminate();
  }
  leave(code: number, reason: string): void {
    // Read again (a paused backlog would hold the server's answer), and queue the frame behind
    // what ws still writes (a backlog, a message being compressed): ws ends the socket on the
    // server's answer, or at its close deadline (closeTimeoutMs).
    this.socket.resume();
    this.socket.close(code, reason);
    // The client has moved on: neither the socket nor that deadline (ws's private _closeTimer,
    // looked for, not relied on) may hold the process open.
    this.raw()?.unref();
    (this.socket as unknown as { _closeTimer?: { unref?: () => void } })._closeTimer?.unref?.();
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  ping(data?: Uint8Array): void {
    // Listen for pongs only once pings are sent: a client without heartbeat keeps less.
    if (!this.pongs) {
      this.pongs = true;
      this.socket.on('pong', (echoed: Buffer) => this.handlers.onPong?.(echoed));
    }
    this.socket.ping(data);
  }
  /**
   * What waits to be sent: ws's own queue, plus what the socket holds that the kernel has not
   * taken. ws counts a write whole until its last byte is sent, so a large message read as no
   * backlog drained: the heartbeat cut its upload as a peer's stall after MAX_SLOW_DEADLINES,
   * and an app polling for the drain saw no progress.
   */
  get bufferedAmount(): number {
    const raw = this.raw();
    const queued = (this.socket as unknown as { _sender?: { _bufferedBytes?: number } | null })._sender?._bufferedBytes;
    const backlog = raw ? backlogOf(raw) + (queued ?? 0) : Number.NaN;
    return Number.isFinite(backlog) && backlog >= 0 ? backlog : this.socket.bufferedAmount;
  }
  /** Bytes received, plus what the kernel took from the process's backlog (`uploaded`). */
  get progress(): number {
    const raw = this.raw();
    if (!raw) return 0;
    this.meter ??= drainMeter();
    return this.meter(raw.bytesRead, takenFrom(raw), backlogOf(raw));
  }
  /**
   * Bytes the kernel has taken from the process: outbound movement alone (the CLI's stall checks,
   * where a peer that still talks but stopped reading must not look alive).
   */
  get uploaded(): number {
    const raw = this.raw();
    return raw ? takenFrom(raw) : 0;
  }
  /** ws's TCP (or TLS) socket, once it has one. */
  private raw(): RawSocket | undefined {
    return (this.socket as unknown as { _socket?: RawSocket | null })._socket ?? undefined;
  }
}

/**
 * The sockets corked now, across every connection: `process.exit()` in the same turn as a send
 * (a worker done once `send()` said 'sent', an uncaught exception) runs no microtask, but runs
 * 'exit' listeners, where an uncork still writes (the kernel takes the bytes synchronously).
 */
const held = new Set<RawSocket>();
let exitHooked = false;
function writeHeld(): void {
  for (const raw of held) raw.uncork();
  held.clear();
}

/** How much coalesce() holds at most: Node's default stream buffer (highWaterMark). */
const COALESCE_BYTES = 16 * 1024;

/**
 * Sends this close together are a burst, held to the turn's end: the answers to one read come
 * microseconds apart; a gap this long means the app did work between them.
 */
const BURST_GAP_MS = 1;

/** A message's size for coalescing: a string's length is at most its UTF-8 size. */
const sizeOf = (data: OutboundMessage): number =>
  typeof data === 'string' ? data.length : 'byteLength' in data ? data.byteLength : (data as Blob).size;

/**
 * What the kernel took: dispatched to libuv less its write queue (the queue Node's own socket
 * timeout reads to see a write in progress). Over TLS the socket's own handle holds a whole
 * write until its last byte is sent — read alone, an upload over wss: never moved, and the
 * heartbeat and the close deadline cut it as a dead link — so the TCP handle under it
 * (_parent), which drains as the kernel takes the bytes, is read.
 */
function takenFrom(raw: RawSocket): number {
  return (raw._bytesDispatched ?? 0) - heldBy(raw);
}

/**
 * What the socket holds that the kernel has not taken: what waits behind the write under way,
 * plus what of that write libuv still holds. No walk over the waiting writes (`bytesWritten`'s):
 * an app may read `bufferedAmount` after every send.
 */
function backlogOf(raw: RawSocket): number {
  return raw.writableLength - (raw._writableState?.writelen ?? 0) + heldBy(raw);
}

/** What of the writes dispatched to libuv the kernel has not taken yet (see takenFrom). */
function heldBy(raw: RawSocket): number {
  const handle = raw._handle;
  return handle?._parent?.writeQueueSize ?? handle?.writeQueueSize ?? 0;
}

/** A connection's `uploaded`, if it is one of this transport's. */
export function uploadedBy(connection: TransportConnection): number | undefined {
  return connection instanceof WsConnection ? connection.uploaded : undefined;
}

/** What `progress` and `close` read of the socket under ws. */
type RawSocket = Socket & {
  _bytesDispatched?: number;
  _handle?: { writeQueueSize?: number; _parent?: { writeQueueSize?: number } } | null;
  /** The write under way's length (Node's Writable state). */
  _writableState?: { writelen?: number };
};

/** Buffer.from copies a Uint8Array (a view over the same bytes is no copy). */
function copyOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return Buffer.from(
    ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data),
  );
}
