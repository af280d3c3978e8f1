// What `resock` prints is for a person, and some of it comes from others: a server's messages,
// a policy file's keys, rule names and descriptions. Their control characters are shown, never
// run by the terminal; and secrets given on its command line are not echoed back in errors.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { file, resock, resockOnTerminal, textFile } from './fixtures/cliRunner';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

// Retitles the terminal, erases the line, and prints a fake lifecycle line in its place (or on
// a line of its own).
const spoof = '\x1b]0;owned\x07\x1b[2K\r[00:00:00.000] open         wss://bank.example/ attempt 1';
const ownLine = 'hello\n[00:00:00.000] close        1000 Normal Closure';
// A C1 control (8-bit CSI) and a right-to-left override: JSON.stringify leaves both raw.
const c1AndBidi = 'a\u009b2Jb\u202eevil';

describe('resock and a hostile server or policy file', () => {
  it('connect: a message’s escape sequences are shown on a terminal, not run', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on('connection', (socket) => {
      socket.send(spoof);
      socket.send(ownLine);
      socket.close(1000, 'done');
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const { terminal } = await resockOnTerminal(['connect', url, '--heartbeat', '0']);
    expect(terminal).toContain('\\x1b]0;owned\\x07\\x1b[2K\\x0d[00:00:00.000] open         wss://bank.example/');
    expect(terminal).not.toContain('\x1b]0;owned');
    expect(terminal).not.toContain('\x1b[2K');
    expect(terminal).toContain('hello\\x0a[00:00:00.000] close');
  });

  it('connect --json: what JSON leaves raw (C1 and bidi controls) is written as \\u escapes, the same JSON', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on('connection', (socket) => {
      socket.send(c1AndBidi);
      socket.close(1000, 'done');
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const { stdout } = await resock(['connect', url, '--heartbeat', '0', '--json'], (session) =>
      session.stdoutHas('"type":"message"'),
    );
    expect(stdout).toContain('a\\u009b2Jb\\u202eevil');
    const message = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; data?: string })
      .find((line) => line.type === 'message');
    expect(message?.data).toBe(c1AndBidi);
  });

  it('policy check: an unknown key is shown escaped', async () => {
    const { code, stdout } = await resock(['policy', 'check', file('ansi-key', { '\x1b]0;owned\x07valid': 1 })]);
    expect(code).toBe(1);
    expect(stdout).toContain('\\x1b]0;owned\\x07valid: unknown key');
    expect(stdout).not.toContain('\x1b');
  });

  it('policy check: a file that is not JSON, whose first bytes the parser quotes, is shown escaped', async () => {
    const { code, stderr } = await resock(['policy', 'check', textFile('ansi-text', '\x1b]0;owned\x07{}')]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not JSON');
    expect(stderr).not.toContain('\x1b');
  });

  it('policy explain: a rule’s name and description are shown escaped', async () => {
    const rules = [{ name: 'x\x1b[8m', description: 'hidden\x1b]0;owned\x07', codes: [4000], action: 'stop' }];
    const { code, stdout } = await resock(['policy', 'explain', file('ansi-rule', { rules }), '4000']);
    expect(code).toBe(0);
    expect(stdout).toContain('x\\x1b[8m');
    expect(stdout).not.toContain('\x1b');
  });
});

describe('resock and secrets on its command line', () => {
  it('an unknown command (a header given without --header) is refused without quoting it', async () => {
    const { code, stderr } = await resock(['Authorization:', 'Bearer', 's3cr3t']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command');
    expect(stderr).not.toContain('s3cr3t');
  });

  it('a --header without a colon is refused without quoting it', async () => {
    const { code, stderr } = await resock(['connect', 'ws://127.0.0.1:9/', '--header', 'Authorization Bearer s3cr3t']);
    expect(code).toBe(2);
    expect(stderr).toContain('--header expects "name: value"');
    expect(stderr).not.toContain('s3cr3t');
  });
});
