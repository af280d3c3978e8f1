import { parseUrl } from './socketUrl';

const urlParts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i;

/**
 * Hides what a URL may carry as credentials: userinfo becomes `***@`, every query value `***`
 * (keys stay, so logs still say which parameters were sent; a pair without `=` goes whole) and a
 * fragment `#***`; a URL the platform cannot parse keeps only its scheme. Applied to every URL in
 * a record, event or error unless the app opts out with `redactUrls: false`.
 */
export function redactUrl(url: string): string {
  const match = urlParts.exec(url);
  // One the platform cannot parse (a password holding `/` or `#`, as base64 tokens do) keeps its
  // scheme only: what looks like its path or fragment may be the secret. Nor is text that is no
  // URL at all quoted (a url function that produced a bare token).
  if (!match || parseUrl(url) === null) return match ? `${match[1]}***` : '***';
  // Nothing to hide: hand back the same string (no copy per open).
  if (!url.includes('?') && !url.includes('@') && !url.includes('#')) return url;
  const [, scheme = '', userinfo, rest = '', query, fragment] = match;
  // An `@` after a `/` may end a credential holding one (a base64 token) that a parser takes for
  // a host and a path: hiding a path's `@me` too is the safe side.
  if (!userinfo && rest.includes('@')) return `${scheme}***`;
  const redactedQuery = query
    ? `?${query
        .slice(1)
        .split('&')
        .map((pair) => {
          // A bare pair may be the credential itself: `?s3cret`, or a base64 one whose `=` are padding.
          const at = pair.indexOf('=');
          return at < 0 || /^=*$/.test(pair.slice(at + 1)) ? pair && '***' : `${pair.slice(0, at)}=***`;
        })
        .join('&')}`
    : '';
  // A fragment may carry a token too (OAuth's implicit flow); a WebSocket URL may not have one.
  return `${scheme}${userinfo ? '***@' : ''}${rest}${redactedQuery}${fragment ? '#***' : ''}`;
}

// A scheme of 32 characters at most: unbounded, text such as `a.a.a.…` (a server's Location
// quoted in an error) made each word start a scan to the end, quadratic.
const urlsInText = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>]+/gi;

/** Redacts every URL inside a free text, such as a platform's error message. */
export function redactUrlsIn(text: string): string {
  return text.replace(urlsInText, (url) => redactUrl(url));
}
