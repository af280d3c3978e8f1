/**
 * The argument conversions a WebSocket's `close(code, reason)` applies before it checks them
 * (WebIDL `[Clamp] unsigned short` and `USVString`), so the facade accepts and refuses what a
 * browser does: `close(1000.4)` closes with 1000, `close(4000, 42)` sends the reason "42".
 */

/** `[Clamp] unsigned short`: NaN is 0, clamped to 0–65535, rounded half to even. */
export function clampUnsignedShort(value: unknown): number {
  // Unary plus is ECMAScript's ToNumber: a Symbol or a BigInt throws a TypeError, as natively.
  const x = +(value as number);
  if (Number.isNaN(x)) return 0;
  const clamped = Math.min(Math.max(x, 0), 65_535);
  const floor = Math.floor(clamped);
  const rest = clamped - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/** `USVString` via ToString (a Symbol throws); lone surrogates become U+FFFD when encoded. */
export function toUsvString(value: unknown): string {
  return `${value as string}`;
}

/**
 * The constructor's `(DOMString or sequence<DOMString>)` protocols: an object that can be
 * iterated is a list of strings, anything else one string (`42` asks for "42", as natively). A
 * function stays resock's per-attempt option; null stays none, as resock has always taken it.
 */
export function toProtocols(value: unknown): unknown {
  if (value == null || typeof value === 'function' || typeof value === 'string') return value ?? undefined;
  // GetMethod(V, @@iterator): an iterator that is undefined or null makes it a string, not a list.
  if (typeof value === 'object' && (value as Iterable<unknown>)[Symbol.iterator] != null)
    return Array.from(value as Iterable<unknown>, toUsvString);
  return toUsvString(value);
}
