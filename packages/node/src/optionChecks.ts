import { validateHeaderName, validateHeaderValue } from 'node:http';
import { InvalidOptionsError, type Problem } from '@resock/core';
import type { Headers } from './handshakeHeaders';
import type { NodeTransportOptions } from './nodeTransport';

/** The largest 32-bit integer: a timer's longest delay, and what ws keeps of a maxPayload. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * Node's HTTP client throws on a header name or value it cannot send, and ws on a protocol
 * version it does not speak, at every attempt: say so here, at the call that made it, instead of
 * letting each attempt fail. `origin` is sent as a header too.
 */
export function checkOptions(options: NodeTransportOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionsError([
      { path: '(root)', message: "expected nodeTransport's options, { headers, … } (the URL goes to createClient)" },
    ]);
  const { headers, origin, protocolVersion, binaryType, handshakeTimeout, maxPayload } = options;
  const problems: Problem[] = [];
  // ws reads a maxPayload ≤ 0 as no cap at all (and keeps it as a 32-bit integer: 2³² is 0), so
  // a server could then send a message of any size; a timeout past a timer's range throws in ws
  // at every attempt (Infinity) or is cut short (2³¹ and more).
  if (maxPayload !== undefined && !(Number.isInteger(maxPayload) && maxPayload >= 0 && maxPayload <= INT32_MAX))
    problems.push({ path: 'maxPayload', message: `expected a size in bytes, 0–${INT32_MAX} (0: no cap)` });
  if (
    handshakeTimeout !== undefined &&
    !(typeof handshakeTimeout === 'number' && handshakeTimeout > 0 && handshakeTimeout <= INT32_MAX)
  )
    problems.push({ path: 'handshakeTimeout', message: `expected a duration in ms, > 0 and ≤ ${INT32_MAX}` });
  if (binaryType !== undefined && binaryType !== 'nodebuffer' && binaryType !== 'arraybuffer')
    problems.push({ path: 'binaryType', message: 'expected "nodebuffer" or "arraybuffer"' });
  if (typeof headers !== 'function') headerProblems(headers, 'headers', problems);
  if (origin !== undefined) headerProblem('origin', 'Origin', origin, problems);
  if (protocolVersion !== undefined && protocolVersion !== 8 && protocolVersion !== 13)
    problems.push({ path: 'protocolVersion', message: 'expected 8 or 13 (the versions ws speaks)' });
  if (problems.length > 0) throw new InvalidOptionsError(problems);
}

/** What a `headers()` function returned, checked as the option is (the attempt fails otherwise). */
export function checkedHeaders(headers: unknown, path: string): Headers | undefined {
  const problems: Problem[] = [];
  if (isThenable(headers))
    // A Promise has no headers of its own: sent, it would be none at all.
    problems.push({
      path,
      message:
        "expected headers, not a Promise (connect() was called without the transport's prepare(), which awaits it)",
    });
  else headerProblems(headers as Headers | undefined, path, problems);
  if (problems.length > 0) throw new InvalidOptionsError(problems);
  return headers as Headers | undefined;
}

function headerProblems(headers: Headers | undefined, path: string, problems: Problem[]): void {
  if (headers === undefined) return;
  // A plain object (of any realm: its prototype's prototype is null). A Headers or a Map has no
  // own entries (none sent: the credentials lost), a string or an array the wrong ones.
  const proto = typeof headers === 'object' && headers !== null ? Object.getPrototypeOf(headers) : undefined;
  if (proto !== null && (proto === undefined || Object.getPrototypeOf(proto) !== null)) {
    problems.push({
      path,
      message:
        'expected an object of header names and values, { authorization: "Bearer …" } (from a Headers or a Map: Object.fromEntries(it))',
    });
    return;
  }
  for (const [name, value] of Object.entries(headers))
    headerProblem(`${path}[${JSON.stringify(name)}]`, name, value, problems);
}

function headerProblem(path: string, name: string, value: unknown, problems: Problem[]): void {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value as string);
  } catch (error) {
    problems.push({ path, message: (error as Error).message });
  }
}

/** A promise, or any thenable (a library's own), as `await` would take it. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
