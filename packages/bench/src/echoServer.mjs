// The benchmark server, always in its own process so it never shares the client's event loop:
// a ws echo server (no compression) on 127.0.0.1. It prints {"port"} when listening and obeys
// stdin lines: "close <code>" closes every socket, "destroy" drops every TCP socket.
import { createInterface } from 'node:readline';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => undefined);
});
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : port })}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, argument] = line.split(' ');
  for (const ws of wss.clients) {
    if (command === 'close') ws.close(Number(argument), '');
    else if (command === 'destroy') ws._socket.destroy();
  }
  process.stdout.write(`${JSON.stringify({ done: command, clients: wss.clients.size })}\n`);
});
