// A message taken out ahead of its turn (its signal aborted, its ttlMs passed) leaves a hole in
// the queue's array, closed up as the head reaches it or once holes are most of the queue. The
// hole must hold no payload (what is told gone counts against no limit), and the queue around
// it keeps its counts, bytes, order and listeners.
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createClient } from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { drops, harness } from './clientHarness';
import { inWriteClient } from './inWriteClient';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth per call of `run` from call `warm` to call `total` (full GCs before each reading). */
function growthPerCall(run: (i: number) => void, warm: number, total: number): number {
  const heap = () => {
    for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  let i = 0;
  for (; i < warm; i++) run(i);
  const before = heap();
  for (; i < total; i++) run(i);
  return (heap() - before) / (total - warm);
}

/** Whether nothing holds what `ref` points at any more (a few macrotasks and full GCs). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    gc();
  }
  return ref.deref() === undefined;
}

function offlineClient() {
  const clock = createVirtualClock(0);
  const transport = createFakeTransport();
  const client = createClient({ url: 'wss://x.test/', transport, clock });
  client.on('dropped', () => {}); // told, not kept
  return { clock, transport, client };
}

describe('a message taken out ahead of its turn lets go of its payload at once', () => {
  it('an aborted queued message (512 KiB)', async () => {
    const { client } = offlineClient();
    client.send('first'); // waits at the head (offline)
    const controller = new AbortController();
    let big: ArrayBuffer | undefined = new ArrayBuffer(1 << 19);
    const ref = new WeakRef(big);
    expect(client.send(big, { signal: controller.signal })).toBe('queued');
    big = undefined;
    controller.abort();
    expect(client.stats.messagesQueued).toBe(1);
    expect(client.bufferedAmount).toBe(5); // the app is told it is gone...
    expect(await collected(ref)).toBe(true); // ...and the hole does not hold it
    void client.close();
  });

  it('an expired queued message (512 KiB)', async () => {
    const { client, clock } = offlineClient();
    client.send('first');
    let big: ArrayBuffer | undefined = new ArrayBuffer(1 << 19);
    const ref = new WeakRef(big);
    expect(client.send(big, { ttlMs: 100 })).toBe('queued');
    big = undefined;
    clock.advance(100);
    expect(client.stats.messagesQueued).toBe(1);
    expect(await collected(ref)).toBe(true);
    void client.close();
  });

  it('queue.maxBytes bounds memory: 60 aborted 512 KiB messages (30 MiB) offline are not all kept', async () => {
    const { client } = offlineClient(); // maxBytes 1 MiB by default
    client.send('first');
    const refs: WeakRef<ArrayBuffer>[] = [];
    for (let i = 0; i < 60; i++) {
      const controller = new AbortController();
      const big = new ArrayBuffer(1 << 19);
      refs.push(new WeakRef(big));
      // Each fits: the aborted ones before it no longer count against maxBytes.
      expect(client.send(big, { signal: controller.signal })).toBe('queued');
      controller.abort();
    }
    expect(client.bufferedAmount).toBe(5);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 0));
      gc();
    }
    const alive = refs.filter((r) => r.deref() !== undefined).length;
    // At most the last one (the test's own reference may linger); holes kept payloads: all 60.
    expect(alive).toBeLessThanOrEqual(1);
    void client.close();
  });
});

describe('holes in the queue', () => {
  it('holes a flush skips are closed up too: queued messages that all expire leave no slot behind', () => {
    // A worker's short-ttlMs data through outages: each message queued while connecting expires,
    // then the connection opens and the flush skips its hole. Nothing is ever shifted out, and
    // each hole kept an array slot (9.4 B a message; 3.8 MB over 400 000 outages).
    const clock = createVirtualClock(0);
    const transport = createFakeTransport();
    const client = createClient({
      url: 'wss://x.test/',
      transport,
      clock,
      policy: { preset: 'none', backoff: { type: 'constant', delayMs: 0 } },
    });
    const perOutage = growthPerCall(
      (i) => {
        client.send(`m${i}`, { ttlMs: 10 });
        clock.advance(20); // expired: taken out ahead of its turn
        transport.last().accept(); // the flush at open skips the hole
        transport.last().drop(); // retried "now": the next attempt is dialled at once
        (transport.connections as unknown[]).splice(0, transport.connections.length - 1);
      },
      20_000,
      220_000,
    );
    expect(client.stats.messagesQueued).toBe(0);
    expect(perOutage).toBeLessThan(1);
    void client.close();
  });

  it('aborting every other of 200 queued messages (compaction past 64 holes): counts, bytes, order, listeners', () => {
    const h = harness();
    const ctrls: AbortController[] = [];
    for (let i = 0; i < 200; i++) {
      const c = new AbortController();
      ctrls.push(c);
      h.client.send(`m${i}`, { signal: c.signal });
    }
    for (let i = 0; i < 200; i += 2) ctrls[i]?.abort();
    expect(h.client.stats.messagesQueued).toBe(100);
    const kept = Array.from({ length: 100 }, (_, k) => `m${2 * k + 1}`);
    expect(h.client.bufferedAmount).toBe(kept.reduce((a, m) => a + m.length, 0));
    expect(drops(h.of).length).toBe(100);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(kept);
    for (const c of ctrls) expect(getEventListeners(c.signal, 'abort').length).toBe(0);
  });

  it('drop-oldest inside a write moves the message in flight over a hole and evicts the next one', () => {
    const ctrl = new AbortController();
    let once = true;
    const w = inWriteClient(
      (data, client) => {
        if (data === 'a' && once) {
          once = false;
          ctrl.abort();
          client.send('x');
          client.send('y');
          client.send('z');
        }
      },
      { queue: { maxMessages: 4, maxBytes: 1e6, overflow: 'drop-oldest' } },
    );
    w.conn.refuseSends(true);
    w.conn.accept();
    w.client.send('a');
    w.client.send('b', { signal: ctrl.signal });
    w.client.send('c');
    w.client.send('d');
    w.conn.refuseSends(false);
    w.client.send('e');
    expect([...w.dropped].sort()).toEqual(['b aborted', 'c overflow']);
    expect(w.conn.sent).toEqual(['a', 'd', 'e', 'x', 'y', 'z']);
    expect(w.client.stats.messagesQueued).toBe(0);
    expect(w.client.bufferedAmount).toBe(0);
  });

  it('close() with holes, aborted and ttl messages: reasons in send order, no timer left', async () => {
    const h = harness();
    const c = new AbortController();
    h.client.send('a', { ttlMs: 1000 });
    h.client.send('b', { signal: c.signal });
    h.client.send('c', { signal: c.signal, ttlMs: 500 });
    c.abort();
    const p = h.client.close();
    h.clock.advance(10_000);
    await p;
    expect(drops(h.of)).toEqual(['b aborted', 'c aborted', 'a closed']);
    expect(h.clock.pending()).toBe(0);
  });
});
