// The refresh hook and what listeners of the step that asks for it do: close() or reconnect()
// from the close or reconnecting listener.
import type { CloseRecord } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('close() from a listener of the step that decides "refresh now"', () => {
  it('does not call the refresh hook once the app has closed the client (3000, default policy)', async () => {
    const calls: AbortSignal[] = [];
    const h = harness({
      refresh: ({ signal }) => {
        calls.push(signal);
        return new Promise(() => undefined); // a token fetch
      },
    });
    h.transport.last().accept();
    let closing: Promise<CloseRecord> | undefined;
    // The app gives up on an auth failure: it closes from the close listener.
    h.client.once('close', () => {
      closing = h.client.close(1000, 'logged out');
    });
    h.transport.last().serverClose(3000, 'token expired');
    const record = await closing;
    expect(record).toMatchObject({ code: 1000, reason: 'logged out', initiator: 'client' });
    // As with a retry "now" (run('connect') dials nothing a close in the mailbox would drop):
    // the hook is "called before retrying", and no retry follows a close().
    expect(calls).toHaveLength(0);
  });

  it('nor when the close comes from the reconnecting listener', async () => {
    let calls = 0;
    const h = harness({
      refresh: () => {
        calls++;
        return new Promise(() => undefined);
      },
    });
    h.transport.last().accept();
    let closing: Promise<CloseRecord> | undefined;
    let decided: unknown[] = [];
    h.client.once('reconnecting', ({ action, delayMs }) => {
      decided = [action, delayMs];
      closing = h.client.close();
    });
    h.transport.last().serverClose(3000, 'token expired');
    expect(decided).toEqual(['refresh', 0]); // a refresh in this same step
    await expect(closing).resolves.toMatchObject({ initiator: 'client' });
    expect(calls).toBe(0);
    expect(h.of('error')).toEqual([]);
  });

  it('goes on when the app calls reconnect() meanwhile: the attempt goes out with the fresh token', async () => {
    // A "retry now" button, or an online event, while the token fetch after a 3000 is in flight:
    // aborting it would dial with the token the server just refused.
    let token = 'old';
    let finish = () => {};
    const signals: AbortSignal[] = [];
    const h = harness({
      url: () => `wss://api.example.test/live?token=${token}`,
      refresh: ({ signal }) => {
        signals.push(signal);
        return new Promise<void>((resolve) => {
          finish = () => {
            token = 'new';
            resolve();
          };
        });
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(1); // nothing dialed with the old token
    finish();
    await h.clock.advanceAsync(0);
    expect(signals.map((signal) => signal.aborted)).toEqual([false]);
    expect(h.transport.connections.map((c) => c.request.url)).toEqual([
      'wss://api.example.test/live?token=old',
      'wss://api.example.test/live?token=new',
    ]);
  });
});
