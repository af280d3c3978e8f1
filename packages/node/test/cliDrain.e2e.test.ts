import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startScenarioServer, startSlowLink } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';
import { startPlainServer } from './fixtures/plainServer';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** `resock connect <url> --json`, from source; resolves once it says it is open. */
async function connectCli(url: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@resock/source', cli, 'connect', url, '--json'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    child.stdout.emit('text');
  });
  while (!stdout.includes('"type":"open"')) await once(child.stdout, 'text');
  return {
    child,
    /** Once the pipe has taken all of `text` (the process has read all but what a pipe holds). */
    stdinRead: undefined as Promise<void> | undefined,
    /** Ends stdin with `text`; resolves with the exit code and everything printed. */
    async run(text: string) {
      const closed = once(child, 'close'); // 'close': after its last output has been read here
      this.stdinRead = new Promise<void>((resolve) => child.stdin.end(text, resolve));
      const [code] = (await closed) as [number];
      return { code, stdout };
    },
  };
}

// `resock connect` with piped stdin sends lines as fast as there is room; on a slow uplink the
// last of them still sit in the process when stdin ends. Closing then (ws's close deadline, 3 s) would cut them: it
// waits until they have left, and exits 0 only after a clean close.
it('resock connect exits 0 only once every stdin line has reached the server', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  let received = 0;
  const serverSawEnd = new Promise<void>((resolve) =>
    wss.on('connection', (ws) => {
      ws.on('message', () => received++);
      ws.on('close', () => resolve());
    }),
  );
  // 24 MB at 4 MB/s: far more than the kernel's buffers take (about 4 MB here) or 3 s carry.
  const link = await startSlowLink({ targetPort: port, upBytesPerSecond: 4_000_000 });
  cleanup.push(() => link.stop());
  const session = await connectCli(link.url);
  const lines = Array.from({ length: 2400 }, (_, i) => `${i}:${'x'.repeat(10_000)}`);
  const { code, stdout } = await session.run(`${lines.join('\n')}\n`);
  link.unthrottle(); // what had left the process still arrives, as on a network
  await serverSawEnd;

  const dropped = stdout.split('\n').filter((line) => line.includes('"type":"dropped"')).length;
  expect({ code, dropped, received }).toEqual({ code: 0, dropped: 0, received: 2400 });
}, 60_000);

// A server that reads nothing more (no pong, no close answer): the line is never confirmed.
it('resock connect exits 1 when the server never confirms its lines (they may be lost)', async () => {
  const server = await startScenarioServer({ default: { kind: 'silent' } });
  cleanup.push(() => server.stop());
  const { code, stdout } = await (await connectCli(server.url)).run('one line\n');
  expect(code).toBe(1);
  expect(stdout).toContain('"type":"unconfirmed","at"');
  expect(stdout).toContain('the last lines may not have arrived: 1 went out on connections that ended');
}, 30_000); // the CLI's start, 10 s without a confirmation, then its 3 s close deadline

it('resock connect exits 1 when the connection drops while its lines still drain', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  let received = 0;
  wss.on('connection', (ws) =>
    ws.on('message', () => {
      if (++received === 1000) ws.terminate(); // mid-upload, well after stdin has ended
    }),
  );
  const link = await startSlowLink({ targetPort: port, upBytesPerSecond: 4_000_000 });
  cleanup.push(() => link.stop());
  const lines = Array.from({ length: 2400 }, (_, i) => `${i}:${'x'.repeat(10_000)}`);
  const { code, stdout } = await (await connectCli(link.url)).run(`${lines.join('\n')}\n`);
  expect(received).toBeLessThan(2400);
  expect(code).toBe(1);
  expect(stdout).toContain('the last lines may not have arrived');
}, 60_000);

// Ctrl-C while 6 MB of lines drain over a 0.5 MB/s link: the close frame would wait behind them
// (its deadline extended while bytes move, ~10 s here), so Ctrl-C cuts the connection instead.
// 6 MB: the kernel's buffers (about 4–5 MB here) and the CLI's 1 MiB high-water mark take it at
// once, so stdin ends while it drains (stdin is read only as fast as there is room).
it('resock connect: Ctrl-C while its lines drain ends it at once, with exit 1 (they may be lost)', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  let received = 0;
  const hundred = new Promise<void>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('message', () => {
        if (++received === 100) resolve();
      }),
    ),
  );
  const link = await startSlowLink({ targetPort: port, upBytesPerSecond: 500_000 });
  cleanup.push(() => link.stop());
  const session = await connectCli(link.url);
  const lines = Array.from({ length: 600 }, (_, i) => `${i}:${'x'.repeat(10_000)}`);
  const done = session.run(`${lines.join('\n')}\n`);
  // The lines are draining, and the CLI has read its stdin (all but what a pipe holds, read at
  // once): a Ctrl-C before stdin ends is the plain close of a session with nothing at risk.
  await Promise.all([hundred, session.stdinRead]);
  const pressed = performance.now();
  session.child.kill('SIGINT');
  const { code, stdout } = await done;
  // A bound far above the ~0.1 s this takes, far below the ~10 s the drain would.
  expect(performance.now() - pressed).toBeLessThan(4500);
  expect(code).toBe(1);
  expect(stdout).toContain('interrupted: what was still leaving may not have arrived');
}, 60_000);
