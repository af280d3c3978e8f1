// What POST /control accepts. The scenario server writes a refused handshake's status and
// headers raw and ws throws on a close it may not send, so every request is checked before
// anything is done: a bad one is refused whole, with the problem named, and changes nothing.

/** What the page's buttons ask the server to do. */
export type Control =
  | { action: 'close'; code?: number; reason?: string }
  | { action: 'drop' }
  | { action: 'reject'; status: number; retryAfter?: number };

/** The fields each action takes; any other is refused, so a misspelt one is not silently ignored. */
const fields: Record<Control['action'], readonly string[]> = {
  close: ['action', 'code', 'reason'],
  drop: ['action'],
  reject: ['action', 'status', 'retryAfter'],
};

/**
 * The codes a server may put in a close frame (RFC 6455 §7.4): 1004–1006 and 1015 are reserved
 * and never sent, 1016–2999 are unassigned, 3000–4999 are for libraries and apps. ws refuses
 * the others with a throw. The page's menu offers a subset of these.
 */
function sendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999))
  );
}

/** A close frame has room for 125 bytes of payload, 2 of them the code. */
const maxReasonBytes = 123;

/** The request as a Control, or the problem with it (one sentence, for a 400). */
export function parseControl(body: string): Control | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'the body is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'the body is not a JSON object' };
  const given = value as Record<string, unknown>;
  if (typeof given.action !== 'string' || !Object.hasOwn(fields, given.action))
    return {
      error: `action: expected one of "close", "drop", "reject", got ${JSON.stringify(given.action) ?? 'none'}`,
    };
  const action = given.action as Control['action'];
  const known = fields[action];
  const unknown = Object.keys(given).find((key) => !known.includes(key));
  if (unknown !== undefined) return { error: `${unknown}: not a field of ${JSON.stringify(action)}` };

  switch (action) {
    case 'drop':
      return { action };
    case 'close': {
      const { code, reason } = given;
      if (code !== undefined && (typeof code !== 'number' || !sendableCloseCode(code)))
        return {
          error: `code: expected a close code a server may send (1000–1003, 1007–1014, 3000–4999), got ${JSON.stringify(code)}`,
        };
      if (reason !== undefined && typeof reason !== 'string')
        return { error: `reason: expected a string, got ${JSON.stringify(reason)}` };
      // Without a code the frame is empty (the client sees 1005), so a reason would be lost.
      if (reason && code === undefined) return { error: 'reason: needs a code to go with it' };
      const bytes = reason === undefined ? 0 : new TextEncoder().encode(reason).length;
      if (bytes > maxReasonBytes) return { error: `reason: at most ${maxReasonBytes} UTF-8 bytes, got ${bytes}` };
      return { action, ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
    }
    case 'reject': {
      const { status, retryAfter } = given;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
        return { error: `status: expected an HTTP status, an integer 100–599, got ${JSON.stringify(status)}` };
      // JSON has no NaN: a Retry-After field the page could not read as a number arrives as null.
      if (
        retryAfter !== undefined &&
        (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter) || retryAfter < 0)
      )
        return { error: `retryAfter: expected a number of seconds ≥ 0, got ${JSON.stringify(retryAfter)}` };
      return { action, status, ...(retryAfter === undefined ? {} : { retryAfter }) };
    }
  }
}
