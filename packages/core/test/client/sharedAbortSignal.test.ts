// One AbortSignal shared by many clients (a worker's shutdown), by many listener registrations
// (a component's cleanup) and by many opened() waits: resock puts one abort listener on it in
// all, so Node raises no MaxListenersExceededWarning ("possible memory leak", past ten), and
// aborting it still reaches every one of them.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

/** Twelve clients, each given the signal for its life, its listeners, a wait and a send. */
async function sharing(signal: AbortSignal) {
  await nextTurn(); // warnings of earlier tests first
  process.on('warning', onWarning);
  const heard: string[] = [];
  const clients = Array.from({ length: 12 }, (_, i) => {
    const h = harness({ signal });
    h.client.on('open', () => heard.push(`open ${i}`), { signal });
    h.client.once('message', () => heard.push(`message ${i}`), { signal });
    h.client.send(`m${i}`, { signal });
    return { h, opened: h.client.opened({ signal }) };
  });
  return { clients, heard };
}

describe('an AbortSignal shared across clients, listeners and waits', () => {
  it('has one abort listener, and no leak warning, however many share it', async () => {
    const controller = new AbortController();
    const { clients } = await sharing(controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await nextTurn();
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    for (const { h } of clients) h.transport.last().accept();
    await Promise.all(clients.map(({ opened }) => opened));
    for (const { h } of clients) void h.client.close();
    // Each let go of it as it ended: nothing keeps the signal's listener.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborting it reaches every one: clients closed, waits rejected, sends dropped, listeners taken back', async () => {
    const controller = new AbortController();
    const { clients, heard } = await sharing(controller.signal);
    controller.abort(new Error('shutting down'));
    // Each client was given the signal first, so its close comes before its wait's abort.
    const waits = await Promise.allSettled(clients.map(({ opened }) => opened));
    for (const [i, { h }] of clients.entries()) {
      expect(waits[i]).toMatchObject({ status: 'rejected', reason: { name: 'ClientClosedError' } });
      expect(h.client.state).toBe('closed');
      expect(h.events.filter((e) => e.name === 'dropped').map((e) => e.payload)).toEqual([
        expect.objectContaining({ reason: 'aborted' }),
      ]);
    }
    expect(heard).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('takes back one registration alone: the others sharing the signal still hear it', async () => {
    const controller = new AbortController();
    const h = harness();
    const heard: string[] = [];
    const first = h.client.on('open', () => heard.push('first'), { signal: controller.signal });
    const listener = () => heard.push('same function, twice');
    h.client.on('open', listener, { signal: controller.signal });
    h.client.on('open', listener, { signal: controller.signal });
    first();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    h.transport.last().accept();
    expect(heard).toEqual(['same function, twice', 'same function, twice']);
    controller.abort();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    void h.client.reconnect();
    h.transport.last().accept();
    expect(heard).toHaveLength(2);
  });
});
