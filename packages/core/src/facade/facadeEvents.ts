import { isBinary } from '../binary';
import type { CloseRecord } from '../close/closeRecord';
import { EventBase } from './domBase';

/**
 * What `message` listeners receive: as a WebSocket's `MessageEvent` (WHATWG: `origin` is the
 * socket's URL's origin; `lastEventId` empty, no `source`, no `ports`), on a plain `Event`
 * (core knows no DOM), so not `instanceof MessageEvent`.
 */
export class ResockMessageEvent extends EventBase {
  /** `any`, as lib.dom's `MessageEvent.data`: code written for a WebSocket (`JSON.parse(event.data)`) compiles. */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  readonly data: any;
  readonly origin: string;
  declare readonly lastEventId: '';
  declare readonly source: null;
  declare readonly ports: readonly never[];
  constructor(data: unknown, origin = '') {
    super('message');
    this.data = data;
    this.origin = origin;
  }
  static {
    // The same for every message: on the prototype, nothing to allocate per message.
    Object.defineProperties(ResockMessageEvent.prototype, {
      lastEventId: { value: '' },
      source: { value: null },
      ports: { value: Object.freeze([]) },
    });
  }
}

/** What `close` listeners receive: `code`, `reason`, `wasClean` as a `CloseEvent`, plus the record. */
export class ResockCloseEvent extends EventBase {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly record: CloseRecord;
  /** `code`, `reason` and `wasClean` default to the record's; a close() before open says 1006, unclean, as browsers do. */
  constructor(record: CloseRecord, code = record.code, reason = record.reason, wasClean = record.wasClean) {
    super('close');
    this.code = code;
    this.reason = reason;
    this.wasClean = wasClean;
    this.record = record;
  }
}

/**
 * WHATWG: `error` only when the connection failed — before open, on a protocol error the platform
 * reported, or at resock's own deadlines (a dead peer) — not when the network dropped an open one
 * (Chromium: plain `close` 1006, measured).
 */
export function failed(record: CloseRecord): boolean {
  return (
    record.initiator !== 'client' &&
    (record.phase === 'connecting' ||
      record.error !== undefined ||
      record.initiator === 'heartbeat' ||
      record.initiator === 'timeout')
  );
}

/** WHATWG: a message event's origin is the socket URL's (no path, no query: nothing to redact). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** Parsed and serialized, http(s) as ws(s), as a WebSocket reports its URL. */
export function asWebSocketUrl(text: string): string {
  try {
    const url = new URL(text);
    url.protocol = url.protocol.replace('http', 'ws');
    return url.href;
  } catch {
    return text; // no (full) URL in this runtime, or no URL yet from a function
  }
}

/** What each event's listeners receive, for `addEventListener`'s types (as lib.dom's `WebSocketEventMap`). */
export interface ReconnectingWebSocketEventMap {
  open: Event;
  error: Event;
  message: ResockMessageEvent;
  close: ResockCloseEvent;
}
export type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void } | null;

type BlobConstructor = new (parts: ArrayBuffer[]) => unknown;

export function blobConstructor(): BlobConstructor | undefined {
  return (globalThis as { Blob?: BlobConstructor }).Blob;
}

/** A message's `data` as a WebSocket of that `binaryType` hands it over: text, a Blob or an ArrayBuffer. */
export function messageData(data: unknown, binaryType: 'blob' | 'arraybuffer'): unknown {
  // isBinary, not instanceof: a WebSocket from another realm hands over that realm's buffers.
  if (typeof data === 'string' || !isBinary(data)) return data;
  const buffer = ArrayBuffer.isView(data)
    ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
    : data;
  const Blob = binaryType === 'blob' ? blobConstructor() : undefined;
  return Blob ? new Blob([buffer]) : buffer;
}
