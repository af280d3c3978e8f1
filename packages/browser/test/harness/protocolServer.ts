import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A hand-written server that picks the LAST offered subprotocol ('b' of ['a','b']), and answers close frames. */
export async function startProtocolServer() {
  const seen: Array<{ protocols: string; close?: { code: number; reason: string } }> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '');
    const entry: { protocols: string; close?: { code: number; reason: string } } = { protocols: offered };
    seen.push(entry);
    const list = offered
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    const picked = list.at(-1);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${
        picked ? `Sec-WebSocket-Protocol: ${picked}\r\n` : ''
      }\r\n`,
    );
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 6) {
        const opcode = (buffer[0] ?? 0) & 0x0f;
        const len = (buffer[1] ?? 0) & 0x7f; // small frames only (tests send < 126 bytes)
        if (buffer.length < 6 + len) return;
        const mask = buffer.subarray(2, 6);
        const payload = Buffer.from(buffer.subarray(6, 6 + len).map((b, i) => b ^ (mask[i % 4] ?? 0)));
        buffer = buffer.subarray(6 + len);
        if (opcode === 8) {
          entry.close =
            payload.length >= 2
              ? { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString() }
              : { code: 1005, reason: '' };
          socket.end(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    seen,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
