// Spaces in a path or query are the parser's to encode, as `new WebSocket(url)` does.
const socketUrl = /^(wss?|https?):\/\/[^\s/?#]+(\/[^#]*|\?[^#]*)?$/i;
const localHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * How the WHATWG URL parser — the one `ws` and browsers connect with — reads `text`: null when
 * it cannot, undefined when this runtime's `URL` cannot say (none at all, or React Native's,
 * which lacks the getters).
 * Regexes alone disagree with it on `\`, on several `@` and on hosts and ports it rejects.
 */
export function parseUrl(text: string): Parsed {
  // Every attempt asks of its URL (is it one, is it plain text to a remote host, how to redact
  // it), and a client's URL rarely changes: the last answer is kept, so a reconnect parses once.
  // (Kept with the parser that gave it: a runtime may replace `URL`.)
  const parser = (globalThis as { URL?: unknown }).URL;
  if (text !== lastText || parser !== lastParser) {
    lastText = text;
    lastParser = parser;
    lastParsed = parse(text);
  }
  return lastParsed;
}

type Parsed = Readonly<{ protocol: string; hostname: string }> | null | undefined;
let lastText: string | undefined;
let lastParser: unknown;
let lastParsed: Parsed;

function parse(text: string): Parsed {
  if (typeof URL !== 'function') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  try {
    return { protocol: url.protocol, hostname: url.hostname };
  } catch {
    return undefined;
  }
}

/** A URL a WebSocket can connect to: ws, wss (or http, https, which browsers map), no fragment. */
export function isSocketUrl(url: string): boolean {
  return socketUrl.test(url) && parseUrl(url) !== null;
}

/** Plain text (ws:, http:) to a host other than this machine. */
export function isInsecureRemoteUrl(url: string): boolean {
  const target = targetOf(url);
  return target !== undefined && (target.scheme === 'ws' || target.scheme === 'http') && !localHost.test(target.host);
}

/** A URL to this machine: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackUrl(url: string): boolean {
  const target = targetOf(url);
  return target !== undefined && localHost.test(target.host);
}

/** A socket URL's scheme (lowercase, no colon) and host; undefined for what is none. */
function targetOf(url: string): { scheme: string; host: string } | undefined {
  const parsed = parseUrl(url);
  if (parsed === null) return undefined; // not a socket URL at all: isSocketUrl says so
  if (parsed) return { scheme: parsed.protocol.slice(0, -1), host: parsed.hostname };
  // Without a full parser: the host is what ends the last `@`-terminated userinfo, `\` a `/`.
  const match = /^(wss?|https?):\/\/(?:[^/?#\\]*@)?(\[[^\]]*\]|[^/?#:\\]*)/i.exec(url);
  return match ? { scheme: (match[1] ?? '').toLowerCase(), host: match[2] ?? '' } : undefined;
}
