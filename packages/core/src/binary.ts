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
