const urlParts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i;

/**
 * Hides what a URL may carry as credentials: userinfo becomes `***@` and every query value
 * `***` (keys stay, so logs still say which parameters were sent). Applied to every URL in a
 * record, event or error unless the app opts out with `redactUrls: false`.
 */
export function redactUrl(url: string): string {
  // Nothing to hide: hand back the same string (no copy per open).
  if (!url.includes('?') && !url.includes('@')) return url;
  const match = urlParts.exec(url);
  if (!match) return url.includes('?') || url.includes('@') ? '***' : url;
  const [, scheme = '', userinfo, rest = '', query, fragment = ''] = match;
  const redactedQuery = query
    ? `?${query
        .slice(1)
        .split('&')
        .map((pair) => {
          const at = pair.indexOf('=');
          return at < 0 ? pair : `${pair.slice(0, at)}=***`;
        })
        .join('&')}`
    : '';
  return `${scheme}${userinfo ? '***@' : ''}${rest}${redactedQuery}${fragment}`;
}

const urlsInText = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Redacts every URL inside a free text, such as a platform's error message. */
export function redactUrlsIn(text: string): string {
  return text.replace(urlsInText, (url) => redactUrl(url));
}

const socketUrl = /^(wss?|https?):\/\/[^\s/?#]+(\/[^\s#]*|\?[^\s#]*)?$/i;

/** A URL a WebSocket can connect to: ws, wss (or http, https, which browsers map), no fragment. */
export function isSocketUrl(url: string): boolean {
  return socketUrl.test(url);
}

const localHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Plain text (ws:, http:) to a host other than this machine. */
export function isInsecureRemoteUrl(url: string): boolean {
  const match = /^(wss?|https?):\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url);
  if (!match) return false;
  const scheme = (match[1] ?? '').toLowerCase();
  return (scheme === 'ws' || scheme === 'http') && !localHost.test(match[2] ?? '');
}
