// logEvents: a line for each thing the client does and why, through the app's own log function.
import { type ClientEvents, InvalidOptionsError, logEvents, ReconnectingWebSocket } from '@resock/core';
import { createFakeTransport, flushPromises } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { harness } from '../client/clientHarness';

function logged(options: { messages?: boolean } = {}, clientOptions: Parameters<typeof harness>[0] = {}) {
  const h = harness({ lazy: true, ...clientOptions });
  const lines: Array<[string, keyof ClientEvents]> = [];
  const stop = logEvents(h.client, { ...options, log: (line, event) => lines.push([line, event]) });
  return { ...h, lines, stop, text: () => lines.map(([line]) => line) };
}

describe('logEvents', () => {
  it('tells the life of a connection: states, the open, the close and the policy’s decision', () => {
    const h = logged();
    h.client.open();
    h.transport.last().accept({ protocol: 'v1' });
    h.transport.last().serverClose(1012, 'deploy');
    expect(h.text()).toEqual([
      '[resock] state: idle → connecting',
      '[resock] state: connecting → open',
      // The URL as every event shows it: its token redacted.
      '[resock] open: wss://api.example.test/socket?token=***&room=*** (attempt 1, protocol v1)',
      '[resock] close: 1012 Service Restart reason="deploy" wasClean=true phase=open initiator=server',
      '[resock] state: open → waiting',
      expect.stringMatching(
        /^\[resock\] reconnecting: retry in \d+\.\d s \(attempt 1, rule default:service-restart\)$/,
      ),
    ]);
  });

  it('tells an idle close, and that the next send connects again', () => {
    const h = logged({}, { idleTimeoutMs: 1000 });
    h.client.open();
    h.transport.last().accept();
    h.clock.advance(1000);
    expect(h.text().slice(-2)).toEqual([
      '[resock] close: 1000 Normal Closure reason="idle" wasClean=false phase=open initiator=client',
      '[resock] state: open → idle (quiet: the next send connects again)',
    ]);
  });

  it('tells why the client gave up, and an error', async () => {
    const h = logged({}, { policy: { rules: [{ codes: [4000], action: 'stop' }] } });
    h.client.open();
    h.transport.last().accept();
    h.transport.last().serverClose(4000, 'kicked');
    const failed = h.lines.find(([, event]) => event === 'failed');
    expect(failed?.[0]).toMatch(/^\[resock\] failed: gave up \(rule, rule rules\[0\]\): /);
    // An error (here the url function's) is logged: logEvents is an error listener.
    const h2 = logged({}, { url: () => 'ftp://example.test/' });
    h2.client.open();
    await flushPromises();
    expect(h2.lines.filter(([, event]) => event === 'error')).toEqual([
      [expect.stringMatching(/^\[resock\] error: ClientRuntimeError: The url option produced ftp:/), 'error'],
    ]);
  });

  it('tells what was dropped and what failed validation, with the data cut short', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => (value === 1 ? { value } : { issues: [{ message: 'expected 1' }] }),
      },
    };
    const h = logged({}, { messages: schema, queue: { maxMessages: 1, overflow: 'drop-oldest' } });
    h.client.send('a');
    h.client.send('b'); // the queue holds one: "a" is dropped
    h.client.open();
    h.transport.last().accept();
    h.transport.last().deliver(JSON.stringify('x'.repeat(300)));
    expect(h.lines.filter(([, event]) => event === 'dropped' || event === 'invalidMessage')).toEqual([
      ['[resock] dropped: overflow: "a"', 'dropped'],
      [`[resock] invalidMessage: expected 1: ${JSON.stringify(`"${'x'.repeat(99)}…`)}`, 'invalidMessage'],
    ]);
  });

  it('messages and acknowledgements only when asked; binary by its size', () => {
    const quiet = logged();
    quiet.client.open();
    quiet.transport.last().accept();
    quiet.transport.last().deliver('hi');
    expect(quiet.lines.some(([, event]) => event === 'message')).toBe(false);
    const h = logged({ messages: true });
    h.client.open();
    h.transport.last().accept();
    h.transport.last().deliver('hi');
    h.transport.last().deliver(new Uint8Array(3));
    expect(h.lines.filter(([, event]) => event === 'message').map(([line]) => line)).toEqual([
      '[resock] message: "hi"',
      '[resock] message: <binary, 3 bytes>',
    ]);
  });

  it('logs a ReconnectingWebSocket through the client underneath', () => {
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket('wss://x.test/', undefined, { transport });
    const lines: string[] = [];
    logEvents(ws, { log: (line) => lines.push(line) });
    transport.last().accept();
    expect(lines).toEqual(['[resock] state: connecting → open', '[resock] open: wss://x.test/ (attempt 1)']);
    ws.close();
  });

  it('cuts a long message of any kind, and says so', () => {
    const schema = {
      '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) },
    };
    const h = logged({ messages: true }, { messages: schema });
    h.client.open();
    h.transport.last().accept();
    h.transport.last().deliver(JSON.stringify({ text: 'y'.repeat(300) }));
    const [line] = h.lines.filter(([, event]) => event === 'message').map(([text]) => text);
    expect(line).toBe(`[resock] message: ${JSON.stringify({ text: 'y'.repeat(300) }).slice(0, 100)}…`);
  });

  it('stops when told, or when its signal is aborted', () => {
    const h = logged();
    h.stop();
    h.client.open();
    expect(h.lines).toEqual([]);
    const controller = new AbortController();
    const h2 = harness({ lazy: true });
    const lines: string[] = [];
    logEvents(h2.client, { log: (line) => lines.push(line), signal: controller.signal });
    controller.abort();
    h2.client.open();
    expect(lines).toEqual([]);
  });

  it('logs to the console by default: warnings for what went wrong', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const h = harness({ lazy: true, policy: { rules: [{ codes: [4000], action: 'stop' }] } });
      logEvents(h.client);
      h.client.open();
      h.transport.last().accept();
      h.transport.last().serverClose(4000, 'kicked');
      expect(log.mock.calls.map(([line]) => line)).toContain('[resock] state: idle → connecting');
      expect(warn.mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/^\[resock\] failed: /)]);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  it('bad options are a typed error at the call', () => {
    const h = harness({ lazy: true });
    expect(() => logEvents(h.client, { log: 'console' as never })).toThrow(InvalidOptionsError);
    expect(() => logEvents(h.client, { messages: 'yes' as never })).toThrow(/logEvents\.messages/);
    expect(() => logEvents(h.client, { mesages: true } as never)).toThrow(/logEvents\.mesages/);
    expect(() => logEvents({} as never)).toThrow(/expected a client \(createClient\) or a ReconnectingWebSocket/);
  });
});
