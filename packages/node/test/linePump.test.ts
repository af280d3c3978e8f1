// The line pump's waits, on a fake client and fake timers: each wait ends once, whichever ends it
// first — its poll or a proof that lines were read. (Two endings each started a wait of their
// own: the waits multiplied with every late proof, and a permessage-deflate upload ran out of memory.)
import type { Client } from '@resock/core';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { linePump, WINDOW_LINES } from '../src/cli/linePump';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const microtasks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

it('a full window waits once: a proof that comes after the poll starts no second wait', async () => {
  let sent = 0;
  let proved = 0;
  const proofs: Array<() => void> = [];
  const client = {
    state: 'open',
    bufferedAmount: 0,
    send: () => {
      sent++;
      return 'sent';
    },
  } as unknown as Client;
  const pump = linePump(
    client,
    { pause: () => {}, resume: () => {} },
    {
      queued: () => {},
      full: () => {},
      stalled: () => {},
      idle: () => {},
      moved: () => sent,
      inFlight: () => sent - proved,
      proved: () => new Promise<void>((resolve) => proofs.push(resolve)),
    },
  );
  for (let i = 0; i < WINDOW_LINES * 3; i++) pump.push(String(i));
  expect({ sent, waits: proofs.length }).toEqual({ sent: WINDOW_LINES, waits: 1 });

  vi.advanceTimersByTime(20); // the poll: the window is still full, so a new wait
  expect(proofs.length).toBe(2);
  proofs[0]?.(); // the first wait's proof, late: that wait is over already
  await microtasks();
  expect({ sent, waits: proofs.length }).toEqual({ sent: WINDOW_LINES, waits: 2 });

  proved = WINDOW_LINES; // the lines are read: the live wait's proof opens the window
  proofs[1]?.();
  await microtasks();
  expect({ sent, waits: proofs.length }).toEqual({ sent: WINDOW_LINES * 2, waits: 3 });
  pump.stop();
});
