import { readFile } from 'node:fs/promises';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, resock } from './fixtures/cliRunner';

let server: ScenarioServer;
beforeAll(async () => {
  server = await startScenarioServer();
});
afterAll(() => server.stop());

describe('resock connect', () => {
  it('sends stdin lines, prints messages on stdout, and exits 0 when stdin ends', async () => {
    const { code, stdout, stderr } = await resock(['connect', `${server.url}/cli?token=s3cret`], async (session) => {
      session.write('hello from stdin');
      await session.stdoutHas('hello from stdin');
    });
    expect(code).toBe(0);
    expect(stdout).toBe('hello from stdin\n');
    expect(stderr).toContain('open');
    expect(stderr).toContain('token=***');
    expect(stderr).not.toContain('s3cret');
  });

  it('prints a binary message as <binary N bytes>, not as text', async () => {
    server.plan({ kind: 'raw', bytes: [0x82, 3, 1, 2, 3] }); // one binary frame, then TCP ends
    const { code, stdout } = await resock(['connect', `${server.url}/binary`], (session) => session.stdoutHas('\n'));
    expect(code).toBe(0);
    expect(stdout).toBe('<binary 3 bytes>\n');
  });

  it('--json: lines beyond the queue wait for the open, none dropped, all sent in order', async () => {
    server.plan({ kind: 'reject', status: 503 }); // the lines pile up meanwhile (1000 fit)
    const before = server.received.length;
    const lines = Array.from({ length: 1500 }, (_, i) => `line ${i + 1}`);
    const { code, stdout } = await resock(['connect', `${server.url}/overflow`, '--json'], async (session) => {
      session.write(lines.join('\n'));
    });
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; limit?: string });
    expect(events.filter((e) => e.type === 'dropped')).toEqual([]);
    expect(events.filter((e) => e.type === 'waiting')).toMatchObject([{ limit: 'maxMessages' }]);
    expect(server.received.slice(before).map((r) => String(r.data))).toEqual(lines);
  });

  it('piped stdin that ends before the connection opens: every line still goes out, then exit 0', async () => {
    server.plan({ kind: 'reject', status: 503 }); // the first attempt fails, so the lines queue
    const before = server.received.length;
    const { code, stderr } = await resock(['connect', `${server.url}/piped`], async (session) => {
      session.write('first');
      session.write('second');
    });
    expect(code).toBe(0);
    expect(server.received.slice(before).map((r) => String(r.data))).toEqual(['first', 'second']);
    expect(stderr).toContain('queued');
    expect(stderr).not.toContain('dropped');
  });

  it('exits 3 when the policy gives up, with JSON lines for machines', async () => {
    server.plan({ kind: 'close', code: 1000, reason: 'done' });
    const { code, stdout } = await resock(['connect', `${server.url}/cli?token=s3cret`, '--json'], undefined, true);
    expect(code).toBe(3);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['connecting', 'open', 'close', 'failed']);
    expect(lines[2]).toMatchObject({ record: { code: 1000, reason: 'done', initiator: 'server' } });
    expect(stdout).not.toContain('s3cret');
  });

  it('passes headers and protocols, and follows a policy file', async () => {
    server.plan({ kind: 'close', code: 4000, reason: 'kicked' });
    const before = server.attempts.length;
    const policy = file('stop4000', { rules: [{ codes: [4000], action: 'stop' }] });
    const { code } = await resock(
      ['connect', server.url, '--header', 'Authorization: Bearer abc', '--protocol', 'v2', '--policy', policy],
      undefined,
      true,
    );
    expect(code).toBe(3);
    expect(server.attempts[before]?.headers.authorization).toBe('Bearer abc');
    expect(server.attempts[before]?.protocols).toEqual(['v2']);
  });

  it.each([
    [['--header', 'bad name: x'], /headers\["bad name"\]/],
    [['--header', 'x-token: a\u0001b'], /headers\["x-token"\]/],
    [['--heartbeat', ''], /--heartbeat expects milliseconds/],
  ])('refuses %j up front (exit 2), rather than failing every attempt', async (extra, message) => {
    const { code, stderr } = await resock(['connect', server.url, ...extra]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('refuses a URL no WebSocket can open (exit 2)', async () => {
    const { code, stderr } = await resock(['connect', 'ws://127.0.0.1:99999/']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/url: expected an absolute ws:/);
  });

  // `--header Authorization: Bearer abc` (quotes forgotten) parses as an empty header and two
  // stray arguments: refused, rather than connecting with an empty Authorization header.
  it('refuses arguments it would not read (exit 2), counting them', async () => {
    const before = server.attempts.length;
    const { code, stderr } = await resock(['connect', server.url, '--header', 'Authorization:', 'Bearer', 'abc']);
    expect(code).toBe(2);
    // Counted, not quoted: the stray words are a header's value, often a token.
    expect(stderr).toContain('2 unexpected arguments');
    expect(stderr).not.toContain('abc');
    expect(server.attempts.length).toBe(before);
    const check = await resock(['policy', 'check', file('extra', {}), 'other.json']);
    expect({ code: check.code, says: check.stderr.includes('1 unexpected argument') }).toEqual({ code: 2, says: true });
  });

  it.each([
    [['policy', 'explain', 'default', '4000', '--policy', 'mine.json'], 'takes no options (--policy)'],
    [['policy', 'check', 'p.json', '--json'], 'takes no options (--json)'],
    [['policy', 'check', 'p.json', '--header', 'Authorization: Bearer abc'], 'takes no options (--header)'],
    [['policy', 'check', 'p.json', '--heartbeat', '5000'], 'takes no options (--heartbeat)'],
    [['policy', 'check', 'p.json', '--protocol', 'v2'], 'takes no options (--protocol)'],
    [['connect', 'ws://127.0.0.1:1/', '--policy', 'a.json', '--policy', 'b.json'], '--policy given 2 times'],
    [['connect', 'ws://127.0.0.1:1/', '--heartbeat', '0', '--heartbeat', '5000'], '--heartbeat given 2 times'],
    // Names are case-insensitive: the second silently replaced the first.
    [
      ['connect', 'ws://127.0.0.1:1/', '--header', 'X-Tag: one', '--header', 'x-tag: two'],
      '--header x-tag given twice',
    ],
  ])('refuses %j: an option it would not read, or one of two values (exit 2)', async (args, message) => {
    const { code, stderr } = await resock(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('says what is wrong in one line, and where the usage is, when the URL is missing (exit 2)', async () => {
    const { code, stderr } = await resock(['connect']);
    expect(code).toBe(2);
    // Before: the message was followed by the whole usage, twenty lines that buried it.
    expect(stderr).toBe('resock: connect needs a URL\n(resock --help shows the usage)\n');
  });

  it('prints its version (--version, -v), as a bug report quotes it', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = await resock([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });
});
