import type { CloseRecord, Transport, TransportHandlers } from '@resock/core';
import { createClient } from '@resock/core';
import { createVirtualClock, seededRandom } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** A minimal hand-written transport that exposes the handlers of each attempt. */
function handTransport() {
  const handlers: TransportHandlers[] = [];
  const transport: Transport = {
    connect(_request, h) {
      handlers.push(h);
      return { send() {}, close() {} };
    },
  };
  return { transport, handlers };
}

/** Like a Deno / undici / browser CloseEvent: code, reason and wasClean are prototype getters. */
class CloseEventLike {
  readonly #code: number;
  readonly #reason: string;
  readonly #wasClean: boolean;
  constructor(code: number, reason: string, wasClean: boolean) {
    this.#code = code;
    this.#reason = reason;
    this.#wasClean = wasClean;
  }
  get code() {
    return this.#code;
  }
  get reason() {
    return this.#reason;
  }
  get wasClean() {
    return this.#wasClean;
  }
}

describe('close records from a hand-written transport', () => {
  // normalizeClose: "Never throws. Input it cannot read (…, `null`, …) becomes a schema-valid
  // 1006 record". An onClose() with nothing must end the connection, not throw back into the
  // transport and leave the client `open` on a dead socket.
  it('onClose() with no raw close ends the connection with a synthetic 1006 instead of throwing and staying open', () => {
    const h = harness();
    h.transport.last().accept();
    expect(() => h.transport.last().emitClose(undefined as never)).not.toThrow();
    h.clock.advance(3_600_000);
    expect(h.client.state).not.toBe('open');
    expect(h.client.lastClose).toMatchObject({ code: 1006, synthetic: true });
  });

  // normalizeClose: a CloseEvent is "read through its prototype getters, never spread", and a
  // transport may hand one on as its RawClose. An error reported before it must not cost it its
  // code: the server's 1000 "done" stays 1000, and the default policy stops.
  it('a CloseEvent-like raw close after onError keeps its code and reason', () => {
    const { transport, handlers } = handTransport();
    const client = createClient({
      url: 'wss://x.test/',
      transport,
      clock: createVirtualClock(0),
      random: seededRandom(1),
    });
    const records: CloseRecord[] = [];
    client.on('close', (record) => records.push(record));
    const h = handlers[0] as TransportHandlers;
    h.onOpen({ protocol: '', extensions: '' });
    h.onError(new Error('read ECONNRESET'));
    h.onClose(new CloseEventLike(1000, 'done', false));
    expect(records[0]).toMatchObject({ code: 1000, reason: 'done', synthetic: false });
    expect(records[0]?.error).toMatchObject({ message: 'read ECONNRESET' }); // the error is kept
    expect(client.state).toBe('failed'); // default:normal-closure stops
  });
});
