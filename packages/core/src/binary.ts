/**
 * A Blob (or File) as core sees it: structurally, since core knows no platform. Every WebSocket
 * (browsers, undici, ws ≥ 8.18) sends one as a binary message, in order with what is sent
 * around it, and reads it itself: core only passes it on and counts its `size`.
 */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A Blob or File from any realm (its tag, not instanceof: an iframe's Blob is another class). */
export function isBlob(value: unknown): value is BlobLike {
  const tag = Object.prototype.toString.call(value);
  if (tag !== '[object Blob]' && tag !== '[object File]') return false;
  const { size, type, arrayBuffer } = value as BlobLike;
  return typeof size === 'number' && typeof type === 'string' && typeof arrayBuffer === 'function';
}

/** Binary data a WebSocket carries: an ArrayBuffer (from any realm) or a view on one (Buffer too). */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/**
 * A buffer transferred away (postMessage, structuredClone): no platform can send it, and one
 * queued would fail every flush after it. Only an empty buffer can be detached, so the check
 * costs nothing for real messages.
 */
export function isDetached(data: ArrayBuffer | ArrayBufferView): boolean {
  if (data.byteLength > 0) return false;
  try {
    new Uint8Array(ArrayBuffer.isView(data) ? (data.buffer as ArrayBuffer) : data, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** What a WebSocket sends: text, binary data not transferred away, or a Blob. */
export function isMessage(data: unknown): data is string | ArrayBuffer | ArrayBufferView | BlobLike {
  return typeof data === 'string' || (isBinary(data) ? !isDetached(data) : isBlob(data));
}
