import type { ClientRequest } from 'node:http';

/**
 * A redirect hop, asked before its request is sent: one to a local socket (ws+unix:) is refused
 * (the client's own URL is always a network one) — a remote server must not steer the client to this machine's sockets
 * (a container daemon's, say) — and with requireTls one to plain text for a remote host (the
 * attempt fails with that error). Listening turns off ws's own rule for the rest, so it is
 * applied here: a hop to another host, or one giving up TLS, loses Authorization and cookies
 * (curl's rule), and a Host header given names the new host.
 */
export function redirectHop(
  from: string,
  to: string,
  req: ClientRequest,
  mayConnectTo: ((url: string) => boolean) | undefined,
): void {
  const refused = (code: string, message: string) => req.destroy(Object.assign(new Error(message), { code }));
  if (localSocket.test(to)) {
    refused('RESOCK_LOCAL_SOCKET_REDIRECT', 'refused a redirect to a local socket (ws+unix:)');
    return;
  }
  if (mayConnectTo && !mayConnectTo(to)) {
    refused(
      'RESOCK_INSECURE_REDIRECT',
      'requireTls: refused a redirect to plain text for a host other than this machine',
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

/** ws's scheme for a Unix domain socket. */
const localSocket = /^ws\+unix:/i;

/** A URL as ws keeps it: parsed, an http(s): scheme as ws(s):. */
export function socketHref(text: string): string {
  const url = new URL(text);
  url.protocol = url.protocol.replace('http', 'ws');
  return url.href;
}
