import type { CloseRecord, OpenEvent, ReconnectingEvent, StateEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('client lifecycle', () => {
  it('connects at creation and reports the open with a redacted URL', () => {
    const { client, transport, of } = harness({ protocols: ['v1', 'v2'] });
    expect(client.state).toBe('connecting');
    expect(transport.last().request).toEqual({
      url: 'wss://api.example.test/socket?token=s3cret&room=7',
      protocols: ['v1', 'v2'],
    });
    transport.last().accept({ protocol: 'v2' });
    expect(client.state).toBe('open');
    expect(of<OpenEvent>('open')).toEqual([
      {
        url: 'wss://api.example.test/socket?token=***&room=***',
        protocol: 'v2',
        extensions: '',
        attempt: 1,
      },
    ]);
    expect(client.url).toBe('wss://api.example.test/socket?token=***&room=***');
    expect(client.protocol).toBe('v2');
  });

  it('redacts URLs quoted in a transport error before they reach a record', () => {
    const { transport, of } = harness();
    transport.last().fail(new Error('getaddrinfo failed for wss://user:pw@api.example.test/socket?token=s3cret'));
    const [record] = of<CloseRecord>('close');
    expect(record?.error?.message).toBe('getaddrinfo failed for wss://***@api.example.test/socket?token=***');
    expect(Object.isFrozen(record)).toBe(true);
  });

  it('redacts nothing when the app opts out', () => {
    const { client, transport } = harness({ redactUrls: false });
    transport.last().accept();
    expect(client.url).toContain('s3cret');
  });

  it('waits for open() or a send with lazy: true', () => {
    const { client, transport } = harness({ lazy: true });
    expect(client.state).toBe('idle');
    expect(transport.connections).toHaveLength(0);
    expect(client.send('hello')).toBe('queued');
    expect(client.state).toBe('connecting');
    transport.last().accept();
    expect(transport.last().sent).toEqual(['hello']);
  });

  it('tells the first state (idle → connecting) inside createClient, so a listener hears it only with lazy: true', () => {
    const eager = harness();
    expect(eager.of('state')).toEqual([]); // told before the harness could listen
    expect(eager.client.state).toBe('connecting');
    const lazy = harness({ lazy: true });
    lazy.client.open();
    expect(lazy.of('state')).toEqual([{ from: 'idle', to: 'connecting' }]);
  });

  it('starts a lazy client when the app awaits opened() (else it would wait for ever)', async () => {
    const { client, transport } = harness({ lazy: true });
    const open = client.opened();
    expect(client.state).toBe('connecting');
    expect(transport.connections).toHaveLength(1);
    transport.last().accept();
    await expect(open).resolves.toMatchObject({ attempt: 1 });
    // Asked again while open: the same open, no new attempt.
    await expect(client.opened()).resolves.toMatchObject({ attempt: 1 });
    expect(transport.connections).toHaveLength(1);
  });

  it('emits close → state → reconnecting when the link drops, then reconnects', () => {
    const { client, transport, clock, names, of } = harness();
    transport.last().accept();
    const before = names().length;
    transport.last().drop();
    expect(names().slice(before)).toEqual(['close', 'state', 'reconnecting']);
    const [reconnecting] = of<ReconnectingEvent>('reconnecting');
    expect(reconnecting).toMatchObject({
      attempt: 1,
      action: 'retry',
      rule: 'default:transient',
      record: { code: 1006, phase: 'open', initiator: 'transport' },
    });
    expect(client.state).toBe('waiting');
    clock.advance((reconnecting as ReconnectingEvent).delayMs);
    expect(client.state).toBe('connecting');
    expect(transport.connections).toHaveLength(2);
  });

  it('retries the initial connect under the same policy', () => {
    const { client, transport, clock, of } = harness();
    transport.last().fail();
    expect(of<CloseRecord>('close')[0]).toMatchObject({
      code: 1006,
      phase: 'connecting',
      initiator: 'transport',
      error: { message: 'connect ECONNREFUSED' },
    });
    clock.advance(1000);
    expect(transport.connections).toHaveLength(2);
    transport.last().accept();
    expect(of<OpenEvent>('open')[0]?.attempt).toBe(2);
    expect(client.stats).toMatchObject({ attempts: 2, reconnects: 0 });
  });

  it('reports every state change with from and to', () => {
    const { transport, of } = harness();
    transport.last().accept();
    transport.last().serverClose(1000, 'bye');
    expect(of<StateEvent>('state')).toEqual([
      { from: 'connecting', to: 'open' },
      { from: 'open', to: 'failed' },
    ]);
  });

  it('calls a URL function before every attempt, and awaits an async one', async () => {
    let calls = 0;
    const { transport, clock } = harness({
      url: async () => `wss://api.example.test/socket?attempt=${++calls}`,
    });
    await clock.advanceAsync(0);
    expect(transport.last().request.url).toBe('wss://api.example.test/socket?attempt=1');
    transport.last().fail();
    await clock.advanceAsync(1000);
    expect(transport.last().request.url).toBe('wss://api.example.test/socket?attempt=2');
  });

  it('counts a URL function that throws as a failed attempt and tells the app', async () => {
    const { transport, clock, of } = harness({
      url: () => {
        throw new Error('no endpoint');
      },
    });
    await clock.advanceAsync(0);
    expect(transport.connections).toHaveLength(0);
    expect(of<CloseRecord>('close')[0]).toMatchObject({
      code: 1006,
      phase: 'connecting',
      synthetic: true,
      error: { message: 'no endpoint' },
    });
    expect(of('reconnecting')).toHaveLength(1);
  });

  it('reports a URL function result that is not a WebSocket URL, redacted', async () => {
    const { clock, of } = harness({ url: () => 'ftp://user:pw@host/?token=x' });
    await clock.advanceAsync(0);
    const [error] = of<Error>('error');
    expect(error?.name).toBe('ClientRuntimeError');
    expect(error?.message).not.toContain('pw');
    expect(error?.message).not.toContain('token=x');
  });

  it('treats a transport that throws on connect as a failed attempt, reported after listeners can attach', async () => {
    const h = harness({ lazy: true });
    h.transport.failNextConnect(new Error('boom'));
    h.client.open();
    expect(h.of('close')).toHaveLength(0);
    await h.clock.advanceAsync(0);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({
      code: 1006,
      synthetic: true,
      error: { message: 'boom' },
    });
    expect(h.client.state).toBe('waiting');
  });

  it('gives up after a stop decision and revives with reconnect()', () => {
    const { client, transport, of } = harness();
    transport.last().accept();
    transport.last().serverClose(1000, 'done');
    expect(client.state).toBe('failed');
    expect(of('failed')[0]).toMatchObject({
      reason: 'rule',
      record: { code: 1000, reason: 'done' },
    });
    client.reconnect();
    expect(client.state).toBe('connecting');
    transport.last().accept();
    expect(client.state).toBe('open');
  });

  it('reconnect() drops an open connection (terminate) and starts a fresh attempt at once', () => {
    const { client, transport, of } = harness();
    transport.last().accept();
    const first = transport.last();
    client.reconnect();
    expect(first.terminated).toBe(true);
    expect(transport.connections).toHaveLength(2);
    expect(of<CloseRecord>('close')[0]).toMatchObject({
      code: 4000,
      reason: 'reconnect',
      initiator: 'client',
      synthetic: true,
    });
    transport.last().accept();
    expect(client.stats.reconnects).toBe(1);
  });

  it('reconnect() tells an open connection its code before it terminates it, and only cuts a handshake', () => {
    const { client, transport, clock } = harness({ reconnectCloseCode: 4999 });
    transport.last().accept();
    const open = transport.last();
    client.reconnect();
    // Before: terminated without a close frame, so a server saw 1006, a lost link, and the
    // option reached no server on a transport that terminates (ws).
    expect(open.closeCall).toEqual({ code: 4999, reason: 'reconnect' });
    expect(open.terminated).toBe(true);
    // A retry's attempt, still in its handshake: nothing to tell.
    transport.last().reject(503);
    clock.advance(60_000);
    const connecting = transport.last();
    expect(client.state).toBe('connecting');
    client.reconnect();
    expect(connecting.closeCall).toBeUndefined();
    expect(connecting.terminated).toBe(true);
  });

  it('events: close → state → reconnecting after a close the policy decides on; close → state after reconnect()', () => {
    const h = harness();
    h.transport.last().accept();
    h.events.length = 0;
    h.transport.last().serverClose(1011);
    expect(h.names()).toEqual(['close', 'state', 'reconnecting']);
    h.clock.advance(60_000);
    h.transport.last().accept();
    h.events.length = 0;
    h.client.reconnect(); // no decision: the next attempt starts at once (the core README says so)
    expect(h.names()).toEqual(['close', 'state']);
    expect(h.client.state).toBe('connecting');
  });

  it('a connection resock no longer trusts is cut, not told (a dead peer hears nothing)', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } }, { autoPong: false });
    h.transport.last().accept();
    const dead = h.transport.last();
    h.clock.advance(1500); // the ping goes unanswered
    expect(dead.terminated).toBe(true);
    expect(dead.closeCall).toBeUndefined();
  });

  it('reconnect() without terminate closes politely with the reconnect code', () => {
    const { client, transport } = harness({ reconnectCloseCode: 4999 }, { terminate: false });
    transport.last().accept();
    const first = transport.last();
    client.reconnect();
    expect(first.closeCall).toEqual({ code: 4999, reason: 'reconnect' });
  });

  it('opened() resolves on the next open and rejects when the client fails or closes', async () => {
    const h = harness();
    const opened = h.client.opened();
    h.transport.last().accept();
    await expect(opened).resolves.toMatchObject({ attempt: 1 });
    await expect(h.client.opened()).resolves.toMatchObject({ attempt: 1 });

    const failing = harness();
    const waiting = failing.client.opened();
    failing.transport.last().reject(403);
    await expect(waiting).rejects.toMatchObject({
      name: 'ClientFailedError',
      reason: 'rule',
      record: { handshake: { status: 403 } },
    });
    await expect(failing.client.opened()).rejects.toMatchObject({ name: 'ClientFailedError' });

    // The waiter hears why the policy stopped, not just that it did.
    const exhausted = harness({ policy: { maxAttempts: 1 } });
    const owed = exhausted.client.opened();
    exhausted.transport.last().fail();
    exhausted.clock.advance(60_000); // the one retry maxAttempts allows
    exhausted.transport.last().fail();
    expect(exhausted.client.state).toBe('failed');
    await expect(owed).rejects.toMatchObject({ name: 'ClientFailedError', reason: 'maxAttempts' });

    const closing = harness();
    const pending = closing.client.opened();
    await closing.client.close();
    await expect(pending).rejects.toMatchObject({ name: 'ClientClosedError' });
  });

  it('closes when its AbortSignal aborts, and never connects with an aborted one', async () => {
    const controller = new AbortController();
    const h = harness({ signal: controller.signal });
    h.transport.last().accept();
    controller.abort();
    expect(h.client.state).toBe('closed');
    expect(h.clock.pending()).toBe(0);

    const aborted = harness({ signal: AbortSignal.abort() });
    expect(aborted.client.state).toBe('closed');
    expect(aborted.transport.connections).toHaveLength(0);
  });

  it('closes through await using / Symbol.asyncDispose', async () => {
    const h = harness();
    h.transport.last().accept();
    await h.client[Symbol.asyncDispose]();
    expect(h.client.state).toBe('closed');
  });

  it('keeps running when a listener throws, and reports it as an error event', () => {
    const h = harness();
    h.client.on('open', () => {
      throw new Error('listener bug');
    });
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
    expect(h.of<Error>('error')[0]).toMatchObject({ name: 'ClientRuntimeError', kind: 'listener' });
  });

  it('counts messages, attempts and uptime', () => {
    const h = harness();
    h.transport.last().accept();
    h.client.send('a');
    h.transport.last().deliver('b');
    h.clock.advance(2500);
    expect(h.client.stats).toEqual({
      attempts: 1,
      reconnects: 0,
      uptimeMs: 2500,
      messagesSent: 1,
      messagesReceived: 1,
      messagesQueued: 0,
      messagesDropped: 0,
      messagesUnacked: 0,
    });
  });
});
