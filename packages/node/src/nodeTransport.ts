import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RawClose, Transport, TransportHandlers } from '@resock/core';
import WebSocket, { type ClientOptions as WsClientOptions } from 'ws';
import { failureCode, invalidUpgrade, proxyRefusal } from './failureCodes';
import { type HeadersOption, headersOf, prepareHeaders } from './handshakeHeaders';
import { checkOptions } from './optionChecks';
import { ownArrayBuffer } from './ownArrayBuffer';
import { redirectHop, socketHref } from './redirectHops';
import { WsConnection } from './wsConnection';

/**
 * Every `ws` client option passes through: `headers`, `origin`, TLS (`ca`, `cert`, `key`,
 * `rejectUnauthorized`, …), `agent`, `perMessageDeflate`, `maxPayload` (ws default: 100 MiB),
 * `followRedirects`, …; plus `closeTimeout` (ws ≥ 8.19), which defaults to the client's
 * `closeTimeoutMs`. The client's own `connectTimeoutMs` bounds the handshake; `handshakeTimeout`
 * is not set for it, as Node keeps that timer on every open socket (120 B each, idle).
 */
export type NodeTransportOptions = Omit<WsClientOptions, 'headers'> & {
  closeTimeout?: number | undefined;
  /**
   * Sent with every handshake. A function is called before each attempt with `{ attempt, record, signal }`
   * and may be async (a token fetched from a token service each time, inside the connect
   * deadline); what it gives is checked then, and a throw, a rejection or a bad header fails
   * that attempt (an `error` event).
   */
  headers?: HeadersOption | undefined;
  /**
   * How binary messages arrive: `nodebuffer`, a `Buffer` (a `Uint8Array`); `arraybuffer`, an
   * `ArrayBuffer`, as in a browser (code shared with a page). @default 'nodebuffer'
   */
  binaryType?: 'nodebuffer' | 'arraybuffer' | undefined;
};

/**
 * The transport on `ws` (v8). Text arrives as `string`, binary as `Uint8Array` (a `Buffer`,
 * which is one). A rejected handshake keeps its HTTP status and its `Retry-After`;
 * heartbeats use protocol ping frames (unless the app gives its own `heartbeat.message`), so any
 * standard server answers them; a dead peer is dropped with `terminate()`.
 */
export function nodeTransport(options: NodeTransportOptions = {}): Transport {
  checkOptions(options);
  // An option given as undefined is not given: `closeTimeout: undefined` would otherwise replace
  // ours, and ws would cut every closing handshake after ~1 ms. (No copy when there is none: a
  // worker may hold thousands of transports.)
  const given: NodeTransportOptions = Object.values(options).includes(undefined)
    ? Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
    : options;
  const { headers } = given;
  return {
    // Every connection has protocol pings: @resock/node turns the heartbeat on by default.
    pings: true,
    // What ws can write: a Blob-shaped value it reads with stream() (its own test of a Blob).
    // One without (tagged Blob, with size and arrayBuffer()) passed core's check, then ws refused
    // it at every write: each connection cut by its close deadline, and all sent after it stuck.
    accepts: (data) => typeof data === 'string' || 'byteLength' in data || typeof (data as Blob).stream === 'function',
    ...(typeof headers === 'function'
      ? { prepare: (request, context) => prepareHeaders(headers, request, context) }
      : {}),
    connect(request, handlers) {
      const { headers: _read, binaryType, ...wsGiven } = given;
      const wsOptions: WsClientOptions = {
        // ws waits this long for the peer to end TCP after a close frame (its default is 30 s).
        ...(request.closeTimeoutMs === undefined ? {} : { closeTimeout: request.closeTimeoutMs }),
        ...wsGiven,
        headers: headersOf(headers, request),
      };
      const socket = new WebSocket(request.url, request.protocols, wsOptions);
      socket.binaryType = 'nodebuffer';
      // ws follows a redirect wherever it points: each hop is asked first (requireTls, and never
      // to a local socket).
      const { mayConnectTo } = request;
      if (wsOptions.followRedirects)
        socket.on('redirect', (to: string, req: ClientRequest) => redirectHop(request.url, to, req, mayConnectTo));
      // Without followRedirects the socket stays at the requested URL (nothing to compare at open).
      return attach(
        socket,
        handlers,
        wsOptions.followRedirects ? request.url : undefined,
        binaryType === 'arraybuffer',
      );
    },
  };
}

function attach(socket: WebSocket, handlers: TransportHandlers, requested: string | undefined, arrayBuffers: boolean) {
  let handshake: RawClose['handshake'];
  let lastError: unknown;
  let opened = false;
  // A 101 comes here before ws checks it: one it then refuses keeps its status (a broken
  // upgrade, told from a reset before any answer). Its headers are read only then: reading them
  // parses them, a cost every reconnect would pay.
  let upgrade: IncomingMessage | undefined;
  socket.on('upgrade', (res: IncomingMessage) => {
    upgrade = res;
  });
  // Not kept in a variable: the other listeners' closures share this scope, and would keep it
  // alive on every idle socket after the open has removed it.
  socket.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
    const status = res.statusCode ?? 0;
    handshake = { status, headers: flatten(res.headers) };
    res.resume(); // discard the body
    // ws hands the attempt to us here; ending it with an error gives error + close 1006.
    // A bare req.destroy() would leave the attempt hanging (measured). A 101 comes here when it
    // does not upgrade (no Connection: Upgrade): refused as any other 101 is, by the same code.
    const error =
      status === 101
        ? { message: 'the server answered 101 without upgrading the connection', code: 'RESOCK_INVALID_UPGRADE' }
        : { message: `Unexpected server response: ${status}`, code: 'WS_UNEXPECTED_RESPONSE' };
    req.destroy(Object.assign(new Error(error.message), { code: error.code }));
  });
  const connection = new WsConnection(socket, handlers);
  socket.once('open', () => {
    // Past the handshake these listeners have nothing left to do; an idle socket keeps less.
    socket.removeAllListeners('unexpected-response');
    socket.removeAllListeners('upgrade');
    opened = true;
    upgrade = undefined;
    if (socket.extensions.includes('permessage-deflate')) connection.deflate = true;
    // ws's url is where a followed redirect led (parsed, http: as ws:, so compared the same way).
    const url = requested === undefined || socket.url === socketHref(requested) ? undefined : socket.url;
    handlers.onOpen({ protocol: socket.protocol, extensions: socket.extensions, url });
  });
  socket.on('message', (data, isBinary) => {
    // With binaryType 'nodebuffer' ws hands over one Buffer per message.
    const bytes = data as Buffer;
    handlers.onMessage(isBinary ? (arrayBuffers ? ownArrayBuffer(bytes) : bytes) : bytes.toString());
  });
  socket.on('error', (error) => {
    lastError = error;
    // A redirect ws no longer follows (maxRedirects reached, a Location it cannot parse) fails
    // with no 'unexpected-response': its answer, a 3xx, is still on the request. A proxy that
    // refused the tunnel may have said why only in its agent's error.
    handshake ??= answer(upgrade) ?? redirectAnswer(socket) ?? proxyRefusal(error, opened);
    handlers.onError(error);
  });
  socket.on('close', (code, reason) => {
    const raw: RawClose = { code, reason: reason.toString(), wasClean: wasClean(socket, code) };
    handshake ??= answer(upgrade);
    if (handshake) raw.handshake = handshake;
    if (lastError !== undefined) raw.error = handshake?.status === 101 ? invalidUpgrade(lastError) : lastError;
    if (code === 1006) failureCode(raw, lastError, opened, /^(wss|https):/i.test(socket.url));
    handlers.onClose(raw);
  });
  return connection;
}

/**
 * The HTTP answer on the attempt's request, if any. Read, not listened for: a 'redirect'
 * listener would make ws keep Authorization and cookies on a redirect to another host.
 */
function redirectAnswer(socket: WebSocket): RawClose['handshake'] {
  const res = (socket as unknown as { _req?: { res?: IncomingMessage } | null })._req?.res;
  return res?.statusCode ? answer(res) : undefined;
}

/** An HTTP answer as a close record keeps it (a module function: no closure kept per socket). */
function answer(res: IncomingMessage | undefined): RawClose['handshake'] {
  return res && { status: res.statusCode ?? 101, headers: flatten(res.headers) };
}

/**
 * RFC 6455 §7.1.4: clean when a close frame was both received and sent. ws's own
 * addEventListener shim computes it from these two fields; reading them here saves the shim's
 * per-socket wrapper (measurable in the memory benchmark). Without them, no close frame (1006)
 * is the only unclean case ws reports.
 */
function wasClean(socket: WebSocket, code: number): boolean {
  const state = socket as unknown as { _closeFrameReceived?: boolean; _closeFrameSent?: boolean };
  if (typeof state._closeFrameReceived === 'boolean' && typeof state._closeFrameSent === 'boolean') {
    return state._closeFrameReceived && state._closeFrameSent;
  }
  return code !== 1006;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
