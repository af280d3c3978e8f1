import type { CloseRecord } from '../close/closeRecord';

/**
 * What `message` listeners receive: as a WebSocket's `MessageEvent` (WHATWG: `origin` is the
 * socket's URL's origin; `lastEventId` empty, no `source`, no `ports`), on a plain `Event`
 * (core knows no DOM), so not `instanceof MessageEvent`.
 */
export class ResockMessageEvent extends Event {
  readonly data: unknown;
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
export class ResockCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly record: CloseRecord;
  /** `code` and `reason` default to the record's; a close() before open says 1006, as browsers do. */
  constructor(record: CloseRecord, code = record.code, reason = record.reason) {
    super('close');
    this.code = code;
    this.reason = reason;
    this.wasClean = record.wasClean;
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
