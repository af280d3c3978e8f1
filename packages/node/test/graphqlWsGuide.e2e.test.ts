// docs/migrating.md's graphql-ws example, run as it is written (on @resock/node, pointed at a
// local graphql-ws server) in a process of its own: what a user copies must stream, survive a
// drop with one resubscribe (a second would be a 4409), and answer the server's pings.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { conditions } from './fixtures/conditions';
import { startGraphqlWsServer } from './fixtures/graphqlWsServer';

const guide = readFileSync(new URL('../../../docs/migrating.md', import.meta.url), 'utf8');
const example = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1] ?? '')
  .find((code) => code.includes("'graphql-transport-ws'"));
const reports = fileURLToPath(new URL('../reports/', import.meta.url));

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The example on Node: the package and the URL are the only words changed. */
function runExample(url: string) {
  if (!example) throw new Error('docs/migrating.md has no graphql-ws example');
  const code = example
    .replace("from '@resock/browser'", "from '@resock/node'")
    .replace("'wss://api.example.com/graphql'", JSON.stringify(url));
  expect(code).toContain(JSON.stringify(url));
  expect(code).toContain("from '@resock/node'");
  mkdirSync(reports, { recursive: true });
  const file = `${reports}graphql-ws-guide.ts`;
  // A page's sessionStorage, which the example reads its token from.
  writeFileSync(file, `Object.assign(globalThis, { sessionStorage: { token: 't0ken' } });\n${code}`);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=@resock/source', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill());
  const lines: string[] = [];
  const { changed, until } = conditions();
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    changed();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  /** Resolves once the example has printed `count` lines. */
  const printed = (count: number) => until(() => lines.length >= count);
  return { lines, printed, stderr: () => stderr };
}

describe("the migration guide's graphql-ws example, against graphql-ws's own server", () => {
  it('streams, resubscribes once after every socket is dropped, and answers the server’s pings', async () => {
    const s = await startGraphqlWsServer();
    cleanup.push(s.stop);
    const run = runExample(`ws://127.0.0.1:${s.port}`);
    await s.until(() => s.live() === 1);
    s.publish(1);
    await run.printed(1);

    s.dropAll();
    await s.until(() => s.seen.subscriptions === 2 && s.live() === 1);
    s.publish(2);
    await run.printed(2);
    expect(run.lines).toEqual(['{"tick":1}', '{"tick":2}']);
    expect(s.seen.tokens).toEqual(['t0ken', 't0ken']);
    expect(s.seen.closes.map(([code]) => code)).not.toContain(4409);

    // The protocol's ping from the server side gets its pong.
    const pongs = s.seen.pongs;
    s.pingAll();
    await s.until(() => s.seen.pongs > pongs);
    expect(run.stderr()).toBe('');
  });
});
