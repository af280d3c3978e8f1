// How a `resock connect` session ends: stdin running out, Ctrl-C, or the reader of its output
// going away — each with nothing lost silently and nothing left hanging.
import { startScenarioServer } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';
import { launch } from './fixtures/cliSession';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

// `echo hello | resock connect ws://echo`: the reply comes during the closing handshake (the
// server sends it before it answers the close frame), and is printed.
it('piped stdin — a reply that arrives during the final close is printed', async () => {
  const server = await startScenarioServer(); // echo
  cleanup.push(() => server.stop());
  const run = launch(['connect', server.url], cleanup);
  await run.has('open');
  run.child.stdin.end('hello\n');
  const [code] = await run.exited;
  await server.waitForReceived(1);
  expect({ code, stdout: run.out.stdout }).toEqual({ code: 0, stdout: 'hello\n' });
});

// A CRLF line whose \n comes in a later read (a Windows producer over a slow pipe, ssh) is one
// line: by default readline takes a \n more than 100 ms after the \r for an empty line of its own.
it('a CRLF line split across two reads is one message, not a message and an empty one', async () => {
  const server = await startScenarioServer(); // echo
  cleanup.push(() => server.stop());
  const run = launch(['connect', server.url], cleanup);
  await run.has('open');
  run.child.stdin.write('first\r');
  await server.waitForReceived(1);
  // The input's own timing, not a wait for an event: the \n comes 200 ms after the \r.
  await new Promise((resolve) => setTimeout(resolve, 200));
  run.child.stdin.end('\nsecond\r\n');
  const [code] = await run.exited;
  expect({ code, received: server.received.map((r) => r.data) }).toEqual({ code: 0, received: ['first', 'second'] });
});

// Lines still waiting for a connection at Ctrl-C are reported in words, like every dropped line,
// and the exit status says lines were lost (1).
it('lines dropped at Ctrl-C read like every other dropped line (not a JSON blob), exit 1', async () => {
  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  // Every attempt fails, so the lines stay queued: with only the first failing, the retry (within
  // the back-off's first second) could open and send them before the Ctrl-C arrived.
  server.setDefault({ kind: 'reject', status: 503 });
  const run = launch(['connect', server.url], cleanup);
  run.child.stdin.write('first\n');
  // Both, in either order: the line is queued (read from stdin), and the attempt has failed.
  await run.has('queued       {"data":"first"}');
  await run.has('reconnecting');
  run.child.kill('SIGINT');
  const [code] = await run.exited;
  expect(code).toBe(1);
  expect(run.out.stderr).toContain('a message was dropped (closed): "first"');
  expect(run.out.stderr).toContain('1 line was dropped, not sent');
});

// `resock connect … | head -1`: once the reader has gone, the next message the CLI prints meets
// a closed pipe. The session ends quietly (a 1000 close, no stack trace), as cat or wscat do.
it('stdout closed by its reader (| head -1) ends the session politely, no EPIPE crash', async () => {
  const server = await startScenarioServer(); // echo
  cleanup.push(() => server.stop());
  const run = launch(['connect', server.url], cleanup);
  run.child.stdin.write('one\n');
  await run.has('one\n', 'stdout');
  run.child.stdout.destroy(); // `head -1` has what it wanted and exits
  run.child.stdin.write('two\n'); // echoed: the CLI writes to the closed pipe
  const [code] = await run.exited;
  await server.waitForClientClose(1);
  expect({
    crashed: /Unhandled 'error' event|EPIPE/.test(run.out.stderr),
    serverSawClose: server.clientCloses[0]?.code,
    code,
  }).toEqual({ crashed: false, serverSawClose: 1000, code: 0 });
});

// `resock policy explain default 1006 | head -1`: the reader gone before the last lines.
it('policy explain | head -1: no EPIPE crash, exit 0', async () => {
  const run = launch(['policy', 'explain', 'default', '1006'], cleanup);
  run.child.stdout.destroy(); // gone before the first line: every line meets a closed pipe
  const [code] = await run.exited;
  expect({ crashed: /Unhandled|EPIPE/.test(run.out.stderr), code }).toEqual({ crashed: false, code: 0 });
});

it('--json: stdin ended while connecting (its line queued), then the reader goes: it ends at once (exit 1: the line is lost)', async () => {
  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  server.plan(...Array.from({ length: 20 }, () => ({ kind: 'reject' as const, status: 503 })));
  const run = launch(['connect', server.url, '--json'], cleanup);
  run.child.stdin.end('queued line\n');
  await run.has('"type":"reconnecting"', 'stdout');
  run.child.stdout.destroy(); // the next JSON line meets a closed pipe
  const [code] = await run.exited;
  expect({ crashed: /Unhandled|EPIPE/.test(run.out.stderr), code }).toEqual({ crashed: false, code: 1 });
}, 30_000);

// Ctrl-C on a session whose server never answers the close frame (it stopped reading): the
// close deadline (3 s) ends the session, which exits 0 — nothing was at risk — and leaves no
// process behind waiting for an answer that never comes.
it('Ctrl-C against a server that never answers the close: the close deadline ends it', async () => {
  const server = await startScenarioServer({ default: { kind: 'silent' } });
  cleanup.push(() => server.stop());
  const run = launch(['connect', server.url, '--heartbeat', '0'], cleanup);
  await run.has('open');
  const pressed = performance.now();
  run.child.kill('SIGINT');
  const [code] = await run.exited;
  const waited = performance.now() - pressed;
  // The deadline is 3 s: well past it would be a hang, well before it would be no wait at all.
  expect({ code, waitedAtLeast2s: waited > 2000, waitedUnder8s: waited < 8000 }).toEqual({
    code: 0,
    waitedAtLeast2s: true,
    waitedUnder8s: true,
  });
}, 30_000);

// `docker stop`, a service manager, `kill`: asked to end, the session closes as on Ctrl-C.
it('SIGTERM closes with 1000 and exits 0, as Ctrl-C does (not a cut TCP the server sees as 1006)', async () => {
  const server = await startScenarioServer(); // echo
  cleanup.push(() => server.stop());
  const run = launch(['connect', server.url], cleanup);
  await run.has('open');
  run.child.kill('SIGTERM');
  const [code, signal] = await run.exited;
  await server.waitForClientClose(1);
  expect({ code, signal, serverSaw: server.clientCloses[0]?.code }).toEqual({ code: 0, signal: null, serverSaw: 1000 });
});
