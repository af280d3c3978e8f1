import type { IncomingHttpHeaders } from 'node:http';
import type { RawClose, Transport, TransportHandlers } from '@resock/core';
import WebSocket, { type ClientOptions as WsClientOptions } from 'ws';

/**
 * Every `ws` client option passes through: `headers`, `origin`, TLS (`ca`, `cert`, `key`,
 * `rejectUnauthorized`, …), `agent`, `perMessageDeflate`, `maxPayload` (ws default: 100 MiB),
 * `followRedirects`, …; plus `closeTimeout` (ws ≥ 8.19). `handshakeTimeout` defaults to the
 * client's `connectTimeoutMs`.
 */
export type NodeTransportOptions = WsClientOptions & { closeTimeout?: number };

/**
 * The transport on `ws` (v8). Text arrives as `string`, binary as `Uint8Array` (a `Buffer`,
 * which is one). A rejected handshake keeps its HTTP status and headers (`Retry-After` too);
 * heartbeats use protocol ping frames, so any standard server answers them; a dead peer is
 * dropped with `terminate()`.
 */
export function nodeTransport(options: NodeTransportOptions = {}): Transport {
  return {
    connect(request, handlers) {
      const socket = new WebSocket(request.url, request.protocols, {
        ...(request.connectTimeoutMs === undefined ? {} : { handshakeTimeout: request.connectTimeoutMs }),
        ...options,
      });
      socket.binaryType = 'nodebuffer';
      return attach(socket, handlers);
    },
  };
}

function attach(socket: WebSocket, handlers: TransportHandlers) {
  let handshake: RawClose['handshake'];
  let lastError: unknown;
  socket.on('unexpected-response', (req, res) => {
    const status = res.statusCode ?? 0;
    handshake = { status, headers: flatten(res.headers) };
    res.resume(); // discard the body
    // ws hands the attempt to us here; ending it with an error gives error + close 1006.
    // A bare req.destroy() would leave the attempt hanging (measured).
    req.destroy(Object.assign(new Error(`Unexpected server response: ${status}`), { code: 'WS_UNEXPECTED_RESPONSE' }));
  });
  socket.on('open', () => handlers.onOpen({ protocol: socket.protocol, extensions: socket.extensions }));
  socket.on('message', (data, isBinary) => {
    // With binaryType 'nodebuffer' ws hands over one Buffer per message.
    handlers.onMessage(isBinary ? (data as Buffer) : (data as Buffer).toString());
  });
  socket.on('pong', () => handlers.onPong?.());
  socket.on('error', (error) => {
    lastError = error;
    handlers.onError(error);
  });
  // The shim's CloseEvent knows wasClean (a close frame both sent and received); the
  // EventEmitter 'close' does not.
  socket.addEventListener('close', (event) => {
    const raw: RawClose = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    if (handshake) raw.handshake = handshake;
    if (lastError !== undefined) raw.error = lastError;
    handlers.onClose(raw);
  });
  return {
    send: (data: string | ArrayBuffer | ArrayBufferView) => socket.send(data),
    close: (code?: number, reason?: string) => socket.close(code, reason),
    terminate: () => socket.terminate(),
    ping: () => socket.ping(),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
