/** Binary data a WebSocket carries: an ArrayBuffer (from any realm) or a view on one (Buffer too). */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}
