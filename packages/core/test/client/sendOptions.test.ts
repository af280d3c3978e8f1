import { InvalidOptionsError } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { drops, harness, jsonReliable } from './clientHarness';

const reliable = jsonReliable;

describe('send options: volatile', () => {
  it('goes out when the connection can take it at once, else is dropped, never queued', () => {
    const h = harness();
    expect(h.client.send('cursor 1', { volatile: true })).toBe('dropped'); // connecting
    expect(h.client.stats.messagesQueued).toBe(0);
    h.transport.last().accept();
    expect(h.client.send('cursor 2', { volatile: true })).toBe('sent');
    expect(h.transport.last().sent).toEqual(['cursor 2']);
    expect(drops(h.of)).toEqual(['cursor 1 volatile']);
    expect(h.client.stats.messagesDropped).toBe(1);
  });

  it('does not jump ahead of messages that still wait (the socket refuses writes)', () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().refuseSends();
    expect(h.client.send('important')).toBe('queued');
    expect(h.client.send('cursor', { volatile: true })).toBe('dropped');
    h.transport.last().refuseSends(false);
    expect(h.client.send('next')).toBe('sent');
    expect(h.transport.last().sent).toEqual(['important', 'next']);
  });

  it('is never tracked by reliable delivery, so never sent again', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    expect(h.client.send('{"id":1}', { volatile: true })).toBe('sent');
    expect(h.client.stats.messagesUnacked).toBe(0);
    h.transport.last().drop();
    h.clock.advance(60_000);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
  });
});

describe('send options: ttlMs', () => {
  it('drops a queued message once its time is up, keeping the others in order', () => {
    const h = harness();
    h.client.send('a');
    expect(h.client.send('stale soon', { ttlMs: 1000 })).toBe('queued');
    h.client.send('b', { ttlMs: 5000 });
    h.clock.advance(999);
    expect(drops(h.of)).toEqual([]);
    h.clock.advance(1);
    expect(drops(h.of)).toEqual(['stale soon expired']);
    expect(h.client.stats.messagesQueued).toBe(2);
    expect(h.client.bufferedAmount).toBe(2);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['a', 'b']);
  });

  it('is never written late, even when its timer is (a throttled tab)', () => {
    const h = harness();
    h.client.send('late', { ttlMs: 1000 });
    h.client.send('kept');
    h.clock.jump(5000); // no timer fires: the tab was frozen
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['kept']);
    expect(drops(h.of)).toEqual(['late expired']);
  });

  it('tells of the expiry only once the open has written what waited', () => {
    const h = harness();
    h.client.send('late', { ttlMs: 10 });
    h.client.send('after');
    h.clock.jump(20);
    const seen: string[] = [];
    h.client.on('dropped', () => seen.push(`dropped; sent so far: ${h.transport.last().sent.join(',')}`));
    h.transport.last().accept();
    expect(seen).toEqual(['dropped; sent so far: after']);
  });

  it('under reliable delivery, bounds the wait for the ack: no longer sent again once it has passed', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    expect(h.client.send('{"id":1}', { ttlMs: 3000 })).toBe('sent');
    expect(h.client.send('{"id":2}')).toBe('sent');
    h.transport.last().drop();
    h.clock.advance(3000);
    expect(drops(h.of)).toEqual(['{"id":1} expired']);
    h.clock.advance(60_000);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['{"id":2}']);
  });

  it('an acknowledged message is no longer watched', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send('{"id":1}', { ttlMs: 3000 });
    h.transport.last().deliver('{"ack":1}');
    h.clock.advance(10_000);
    expect(drops(h.of)).toEqual([]);
  });

  it('a message sent at once needs no timer, and close() leaves none', async () => {
    const h = harness();
    h.transport.last().accept();
    const before = h.clock.pending();
    h.client.send('now', { ttlMs: 1000 });
    expect(h.clock.pending()).toBe(before);
    h.transport.last().drop();
    h.client.send('queued', { ttlMs: 1000 });
    const closed = h.client.close();
    h.clock.advance(10_000);
    await closed;
    expect(drops(h.of)).toEqual(['queued closed']);
    expect(h.clock.pending()).toBe(0);
  });

  it('re-arms for the next deadline, and for a sooner one sent later', () => {
    const h = harness();
    h.client.send('5s', { ttlMs: 5000 });
    h.client.send('1s', { ttlMs: 1000 });
    h.client.send('3s', { ttlMs: 3000 });
    h.clock.advance(1000);
    expect(drops(h.of)).toEqual(['1s expired']);
    h.clock.advance(2000);
    expect(drops(h.of)).toEqual(['1s expired', '3s expired']);
    h.clock.advance(2000);
    expect(drops(h.of)).toEqual(['1s expired', '3s expired', '5s expired']);
    expect(h.client.stats.messagesQueued).toBe(0);
  });

  it('0 ms: out now or dropped at the next turn of the clock', () => {
    const h = harness();
    expect(h.client.send('x', { ttlMs: 0 })).toBe('queued');
    h.clock.advance(0);
    expect(drops(h.of)).toEqual(['x expired']);
  });
});

describe('send options: signal', () => {
  it('aborting takes a waiting message out; the others keep their order', () => {
    const h = harness();
    const controller = new AbortController();
    h.client.send('a');
    h.client.send('cancel me', { signal: controller.signal });
    h.client.send('b');
    controller.abort();
    expect(drops(h.of)).toEqual(['cancel me aborted']);
    expect(h.client.bufferedAmount).toBe(2);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['a', 'b']);
  });

  it('an already aborted signal drops the message at once', () => {
    const h = harness();
    h.transport.last().accept();
    expect(h.client.send('x', { signal: AbortSignal.abort() })).toBe('dropped');
    expect(h.transport.last().sent).toEqual([]);
    expect(drops(h.of)).toEqual(['x aborted']);
  });

  it('is let go of once the message is out, or was never kept', () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-newest' } });
    const added: string[] = [];
    const removed: string[] = [];
    const signal = {
      aborted: false,
      addEventListener: (type: string) => added.push(type),
      removeEventListener: (type: string) => removed.push(type),
    } as unknown as AbortSignal;
    h.client.send('queued', { signal });
    expect(h.client.send('refused: full', { signal })).toBe('dropped');
    expect(added).toEqual(['abort']);
    h.transport.last().accept();
    expect(removed).toEqual(['abort']);
    h.client.send('sent at once', { signal });
    expect(added).toEqual(['abort']);
  });

  it('a message written or acknowledged already is not dropped by a later abort', () => {
    const h = harness({ reliable });
    const controller = new AbortController();
    h.client.send('{"name":"untracked"}', { signal: controller.signal });
    h.client.send('{"id":1}', { signal: controller.signal });
    h.transport.last().accept();
    h.transport.last().deliver('{"ack":1}');
    controller.abort();
    expect(drops(h.of)).toEqual([]);
  });

  it('under reliable delivery, aborting a sent, unacknowledged message stops its resends', () => {
    const h = harness({ reliable });
    const controller = new AbortController();
    h.transport.last().accept();
    h.client.send('{"id":1}', { signal: controller.signal });
    controller.abort();
    expect(drops(h.of)).toEqual(['{"id":1} aborted']);
    h.transport.last().drop();
    h.clock.advance(60_000);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
  });
});

describe('send options: bad input', () => {
  it('is a typed error at the call naming each problem, and loses nothing queued', () => {
    const h = harness();
    h.client.send('kept');
    const attempt = (options: unknown) => () => h.client.send('x', options as never);
    expect(attempt({ ttlMs: -1 })).toThrow(InvalidOptionsError);
    expect(attempt({ ttlMs: Number.NaN })).toThrow(/send\.ttlMs/);
    expect(attempt({ ttlMs: 2 ** 31 })).toThrow(/24\.8 days/);
    expect(attempt({ volatile: 'yes' })).toThrow(/send\.volatile: expected a boolean/);
    expect(attempt({ signal: {} })).toThrow(/send\.signal: expected an AbortSignal/);
    expect(attempt({ ttl: 5 })).toThrow(/send\.ttl: unknown key/);
    expect(attempt(5)).toThrow(/send: expected object/);
    expect(h.client.takeQueued()).toEqual(['kept']);
    expect(h.of('dropped')).toEqual([]);
  });

  it('reads the known options from a prototype too (a class), and a throwing getter is a typed error', () => {
    const h = harness();
    class Urgent {
      get ttlMs() {
        return 1000;
      }
    }
    expect(h.client.send('x', new Urgent())).toBe('queued');
    h.clock.advance(1000);
    expect(drops(h.of)).toEqual(['x expired']);
    const broken = {
      get signal(): AbortSignal {
        throw new Error('boom');
      },
    };
    expect(() => h.client.send('y', broken)).toThrow(/send\.signal: could not be read \(Error: boom\)/);
    expect(h.client.stats.messagesQueued).toBe(0);
  });

  it('reads each option once (a getter cannot pass the check, then change)', () => {
    const h = harness();
    let reads = 0;
    const options = {
      get ttlMs() {
        reads++;
        return reads === 1 ? 1000 : -1;
      },
    };
    expect(h.client.send('x', options)).toBe('queued');
    expect(reads).toBe(1);
    h.clock.advance(1000);
    expect(drops(h.of)).toEqual(['x expired']);
  });
});
