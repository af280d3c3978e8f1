import { ClientRuntimeError, InvalidOptionsError, type Transport } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const isAck = (data: unknown) => data === 'ack';

describe('greeting: what every connection says first', () => {
  it('goes out before what was queued, on every connection, with a fresh message each time', () => {
    let token = 0;
    const h = harness({ greeting: { message: () => `auth ${++token}` } });
    h.client.send('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['auth 1', 'queued']);
    h.transport.last().drop();
    h.client.send('later');
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['auth 2', 'later']);
  });

  it('may be several messages, sent in order (auth, then the subscriptions to restore)', () => {
    const h = harness({ greeting: { message: () => ['auth', 'subscribe a', 'subscribe b'] } });
    h.client.send('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['auth', 'subscribe a', 'subscribe b', 'queued']);
  });

  it('with isAccepted, holds the rest and the open until the server accepts', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    h.client.send('queued');
    h.transport.last().accept();
    expect(h.client.state).toBe('connecting');
    expect(h.transport.last().sent).toEqual(['init']);
    expect(h.client.send('meanwhile')).toBe('queued');
    expect(h.client.send('cursor', { volatile: true })).toBe('dropped');
    h.transport.last().deliver('hello'); // not the acceptance: heard after the open
    expect(h.of('open')).toEqual([]);
    h.transport.last().deliver('ack');
    expect(h.client.state).toBe('open');
    expect(h.transport.last().sent).toEqual(['init', 'queued', 'meanwhile']);
    // The messages that came meanwhile, the acceptance too, are heard after the open, in order.
    expect(h.names().filter((n) => n === 'open' || n === 'message')).toEqual(['open', 'message', 'message']);
    expect(h.of('message')).toEqual(['hello', 'ack']);
  });

  it('an acceptance that never comes is the connect deadline: a failed attempt, then a retry', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck }, connectTimeoutMs: 5000 });
    const first = h.transport.last();
    first.accept();
    h.clock.advance(5000);
    expect(first.terminated).toBe(true);
    expect(h.of('close')).toMatchObject([{ code: 1006, phase: 'connecting', initiator: 'timeout' }]);
    expect(h.of('open')).toEqual([]);
    expect(h.client.state).toBe('waiting');
  });

  it('a server that refuses the greeting (closes) fails the attempt, and the policy decides', () => {
    const h = harness({
      greeting: { message: 'init', isAccepted: isAck },
      policy: { rules: [{ codes: [4403], action: 'stop' }] },
    });
    h.client.send('secret work');
    h.transport.last().accept();
    h.transport.last().serverClose(4403, 'Forbidden');
    expect(h.of('close')).toMatchObject([{ code: 4403, reason: 'Forbidden', phase: 'connecting' }]);
    expect(h.client.state).toBe('failed');
    expect(h.transport.last().sent).toEqual(['init']); // nothing else went to a server that refused
  });

  it('waits for a server that speaks first (isAccepted alone)', () => {
    const h = harness({ greeting: { isAccepted: (d) => d === 'ready' } });
    h.client.send('queued');
    h.transport.last().accept();
    expect(h.client.state).toBe('connecting');
    h.transport.last().deliver('ready');
    expect(h.client.state).toBe('open');
    expect(h.transport.last().sent).toEqual(['queued']);
  });

  it('an acceptance that came with the open (a loopback speaks inside connect()) counts', async () => {
    const transport: Transport = {
      connect(_request, handlers) {
        handlers.onOpen({ protocol: '', extensions: '' });
        handlers.onMessage('ready');
        return { send: (data) => handlers.onMessage(`echo ${String(data)}`), close() {} };
      },
    };
    const h = harness({ transport, greeting: { message: 'hello', isAccepted: (d) => d === 'ready' } });
    await Promise.resolve();
    expect(h.client.state).toBe('open');
    expect(h.of('message')).toEqual(['ready', 'echo hello']);
  });

  it("an acceptance that comes inside the greeting's write (a loopback answers at once) tells the open after it", () => {
    const sent: unknown[] = [];
    const transport: Transport = {
      connect(_request, handlers) {
        queueMicrotask(() => handlers.onOpen({ protocol: '', extensions: '' }));
        return {
          send(data) {
            sent.push(data);
            if (data === 'init') handlers.onMessage('ack');
          },
          close() {},
        };
      },
    };
    const h = harness({ transport, greeting: { message: () => ['init', 'second'], isAccepted: isAck } });
    h.client.send('queued');
    return Promise.resolve().then(() => {
      expect(sent).toEqual(['init', 'second', 'queued']);
      expect(h.of('message')).toEqual(['ack']);
      expect(h.client.state).toBe('open');
    });
  });

  it('a builder that throws fails the attempt with an error event, and the socket is cut', () => {
    const h = harness({
      greeting: {
        message: () => {
          throw new Error('no token');
        },
      },
    });
    const first = h.transport.last();
    first.accept();
    expect(h.of('error')[0]).toBeInstanceOf(ClientRuntimeError);
    expect(h.of<ClientRuntimeError>('error')[0]?.kind).toBe('greeting');
    expect(first.terminated).toBe(true);
    expect(h.of('close')).toMatchObject([{ code: 1006, phase: 'connecting' }]);
    expect(h.client.state).toBe('waiting');
  });

  it("a library's Blob this transport's WebSocket would send as text fails the attempt, as send() refuses it", () => {
    const foreign = { [Symbol.toStringTag]: 'Blob', size: 3, type: '', arrayBuffer: async () => new ArrayBuffer(3) };
    const h = harness({ greeting: { message: foreign as never } });
    Object.assign(h.transport, { accepts: (data: unknown) => data !== foreign });
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
    expect(String(h.of<ClientRuntimeError>('error')[0]?.cause)).toMatch(/library's Blob/);
    expect(h.client.state).toBe('waiting');
  });

  it('a builder that returns no message fails the attempt the same way', () => {
    const h = harness({ greeting: { message: () => 42 as never } });
    h.transport.last().accept();
    expect(String(h.of<ClientRuntimeError>('error')[0]?.cause)).toMatch(/Cannot send number/);
    expect(h.client.state).toBe('waiting');
  });

  it('a flood before the acceptance fails the attempt instead of being held (a hostile server)', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    const first = h.transport.last();
    first.accept();
    for (let i = 0; i < 1000; i++) first.deliver(`spam ${i}`);
    expect(h.of('close')).toMatchObject([{ code: 1006, phase: 'connecting' }]);
    expect(String((h.of('close')[0] as { error?: { message?: string } }).error?.message)).toMatch(
      /1000 messages came before the greeting was accepted/,
    );
    expect(h.of('message')).toEqual([]);
    expect(first.terminated).toBe(true);
  });

  it('so does a flood measured in bytes: a few large messages past 16 MiB', () => {
    // 999 messages of a MiB each were held until the connect deadline: a GB per attempt, from a
    // MB on the wire with permessage-deflate.
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    const first = h.transport.last();
    first.accept();
    const mib = new Uint8Array(2 ** 20);
    for (let i = 0; i < 16; i++) first.deliver(mib);
    expect(h.of('close')).toEqual([]); // 16 MiB: still held
    first.deliver(new Uint8Array(1));
    expect(h.of('close')).toMatchObject([{ code: 1006, phase: 'connecting' }]);
    expect(String((h.of('close')[0] as { error?: { message?: string } }).error?.message)).toMatch(
      /more than 16 MiB came before the greeting was accepted/,
    );
    expect(first.terminated).toBe(true);
  });

  it('an isAccepted that throws is an error event, and the message is no acceptance', () => {
    const h = harness({
      greeting: {
        message: 'init',
        isAccepted: (d) => {
          if (d === 'bad') throw new Error('parse');
          return d === 'ack';
        },
      },
    });
    h.transport.last().accept();
    h.transport.last().deliver('bad');
    expect(h.client.state).toBe('connecting');
    expect(h.of<ClientRuntimeError>('error').map((e) => e.kind)).toEqual(['greeting']);
    h.transport.last().deliver('ack');
    expect(h.client.state).toBe('open');
  });

  it('checks the option at createClient', () => {
    expect(() => harness({ greeting: {} })).toThrow(InvalidOptionsError);
    expect(() => harness({ greeting: { message: 42 as never } })).toThrow(
      /greeting.message: expected a string, binary data or a function/,
    );
    expect(() => harness({ greeting: { message: 'x', isAccepted: 'ack' as never } })).toThrow(
      /greeting.isAccepted: expected a function/,
    );
    expect(() => harness({ greeting: { message: 'x', extra: 1 } as never })).toThrow(/greeting.extra: unknown key/);
  });
});
