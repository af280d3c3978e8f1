const urlParts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i;

/**
 * Hides what a URL may carry as credentials: userinfo becomes `***@` and every query value
 * `***` (keys stay, so logs still say which parameters were sent; a pair without `=` goes whole). Applied to every URL in a
 * record, event or error unless the app opts out with `redactUrls: false`.
 */
export function redactUrl(url: string): string {
  // Nothing to hide: hand back the same string (no copy per open).
  if (!url.includes('?') && !url.includes('@')) return url;
  const match = urlParts.exec(url);
  if (!match) return '***'; // it has a `?` or an `@`, but no shape to keep anything of
  const [, scheme = '', userinfo, rest = '', query, fragment = ''] = match;
  const redactedQuery = query
    ? `?${query
        .slice(1)
        .split('&')
        .map((pair) => {
          // A bare pair (`?s3cret`) may be the credential itself.
          const at = pair.indexOf('=');
          return at < 0 ? pair && '***' : `${pair.slice(0, at)}=***`;
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
