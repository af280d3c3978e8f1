import type { ClientRequest } from 'node:http';

/**
 * A redirect hop the client's options restrict (requireTls): one to plain text for a remote host
 * is refused before its request is sent (the attempt fails with that error). Listening turns
 * off ws's own rule for the rest, so it is applied here: a hop to another host, or one giving
 * up TLS, loses Authorization and cookies (curl's rule), and a Host header given names the new host.
 */
export function redirectHop(
  from: string,
  to: string,
  req: ClientRequest,
  mayConnectTo: (url: string) => boolean,
): void {
  if (!mayConnectTo(to)) {
    req.destroy(
      Object.assign(new Error('requireTls: refused a redirect to plain text for a host other than this machine'), {
        code: 'RESOCK_INSECURE_REDIRECT',
      }),
    );
    return;
  }
  const before = new URL(from);
  const after = new URL(to);
  if (after.host !== before.host || (/^(wss|https):$/.test(before.protocol) && after.protocol !== 'wss:')) {
    req.removeHeader('authorization');
    req.removeHeader('cookie');
    if (after.host !== before.host && req.hasHeader('host')) req.setHeader('host', after.host);
  }
}

/** A URL as ws keeps it: parsed, an http(s): scheme as ws(s):. */
export function socketHref(text: string): string {
  const url = new URL(text);
  url.protocol = url.protocol.replace('http', 'ws');
  return url.href;
}
