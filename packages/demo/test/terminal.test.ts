// `pnpm demo` run from source as `pnpm demo` runs it: its options (which end the process before
// the story starts), and one whole story, plain.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/terminal/main.ts', import.meta.url));

const running: ChildProcess[] = [];
afterEach(() => {
  // A demo that did not exit as expected would play its story for a minute: not in a test run.
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
});

/** Runs the demo with `args`; resolves with its exit code and output once it exits. */
async function demo(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@resock/source', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close', not 'exit': the process may exit before its last output has been read here.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('pnpm demo (the terminal entry)', () => {
  it('drops one leading `--`, as `pnpm demo -- --help` (the npm habit) passes it on', async () => {
    const { code, stdout, stderr } = await demo(['--', '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: pnpm demo \[--serve\]/);
  });

  it('answers an unknown option with the problem and the usage on stderr (exit 2), not a stack trace', async () => {
    const { code, stdout, stderr } = await demo(['--bogus']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^demo: Unknown option '--bogus'.*\n\nUsage: pnpm demo /);
    expect(stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });

  it('refuses a stray argument the same way (exit 2)', async () => {
    const { code, stderr } = await demo(['--serve', 'now']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^demo: Unexpected argument 'now'.*\n\nUsage: pnpm demo /);
  });

  it('plays the story; the summary counts the reconnects of every client in its table', async () => {
    const { code, stdout } = await demo(['--plain']);
    expect(code).toBe(0);
    // Each client's first line is its start (idle → connecting); every open after it is a reconnect.
    const starts = stdout.split('\n').filter((line) => /\sstate\s+idle → connecting/.test(line)).length;
    const opens = stdout.split('\n').filter((line) => /^\s*\+[\d.]+s\s+open\s/.test(line)).length;
    expect(starts).toBe(2); // the live client and the orders client
    const tableRows = stdout.split('\n').filter((line) => /^\d+\s{2}\d{4} /.test(line));
    expect(tableRows.some((row) => row.startsWith('7 ') && row.includes('default:transient'))).toBe(true); // the orders client's
    expect(stdout).toMatch(new RegExp(`2 clients: \\d+ connection attempts, ${opens - starts} reconnects`));
  }, 40_000);
});
