import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type CloseRecord, closeRecordSchema, decide, definePolicy, normalizeClose } from '@resock/core';
import fc from 'fast-check';
import { CloseEvent as UndiciCloseEvent } from 'undici';
import { describe, expect, it } from 'vitest';

// ws's addEventListener shim hands this class to 'close' listeners: values in prototype getters.
// ws does not export the file, so it is loaded by path.
const require = createRequire(import.meta.url);
const { CloseEvent: WsCloseEvent } = require(join(dirname(require.resolve('ws')), 'lib/event-target.js')) as {
  CloseEvent: new (type: string, init: object) => object;
};

const now = 1_795_000_000_000;

describe('normalizeClose', () => {
  it('reads a WHATWG CloseEvent (undici) through its prototype getters', () => {
    const event = new UndiciCloseEvent('close', {
      code: 4001,
      reason: 'token expired: é',
      wasClean: true,
    });
    expect({ ...event }).not.toHaveProperty('code'); // why we must read, never spread
    expect(normalizeClose(event, { now })).toEqual({
      code: 4001,
      reason: 'token expired: é',
      wasClean: true,
      phase: 'open',
      initiator: 'server',
      synthetic: false,
      at: now,
    });
  });

  it("reads ws's CloseEvent shim", () => {
    const event = new WsCloseEvent('close', { code: 1013, reason: 'overloaded', wasClean: true });
    expect(normalizeClose(event, { now })).toMatchObject({
      code: 1013,
      reason: 'overloaded',
      wasClean: true,
    });
  });

  it("decodes ws's (code, reason: Buffer) arguments as UTF-8 and infers wasClean", () => {
    const record = normalizeClose({ code: 4001, reason: Buffer.from('token expired: é') }, { now });
    expect(record).toMatchObject({
      code: 4001,
      reason: 'token expired: é',
      wasClean: true,
      synthetic: false,
    });
    expect(normalizeClose({ code: 1006, reason: Buffer.alloc(0) }, { now }).wasClean).toBe(false);
    expect(normalizeClose({ code: 1000, reason: new Uint8Array([0xff]) }, { now }).reason).toBe('\ufffd');
  });

  it('takes a plain object; a missing reason is the empty string', () => {
    expect(normalizeClose({ code: 1005 }, { now })).toMatchObject({
      code: 1005,
      reason: '',
      wasClean: true,
    });
  });

  it('keeps a wasClean the platform reported, even when unusual', () => {
    expect(normalizeClose({ code: 1000, reason: '', wasClean: false }, { now }).wasClean).toBe(false);
  });

  it.each([
    ['null', null],
    ['a number', 1000],
    ['a string', 'closed'],
    ['a non-number code', { code: '1000', reason: '' }],
    ['a code above 65535', { code: 70000, reason: '' }],
    ['a negative code', { code: -1, reason: '' }],
    ['a fractional code', { code: 1000.5, reason: '' }],
    ['a non-string reason', { code: 1000, reason: 42 }],
    ['a reason of null', { code: 1000, reason: null }],
    [
      'a throwing getter',
      Object.defineProperty({}, 'code', {
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
  ])('never throws on %s: it returns a synthetic 1006', (_label, input) => {
    const record = normalizeClose(input, { now });
    expect(closeRecordSchema.safeParse(record).success).toBe(true);
    expect(record).toMatchObject({ code: 1006, reason: '', wasClean: false, synthetic: true });
  });

  it('keeps a received reason over 123 bytes instead of rejecting it', () => {
    const reason = 'x'.repeat(300);
    expect(normalizeClose({ code: 4000, reason }, { now }).reason).toBe(reason);
  });

  it('holds no reference to the platform event and is frozen', () => {
    const event = new UndiciCloseEvent('close', { code: 1000, reason: 'bye', wasClean: true });
    const record = normalizeClose(event, { now });
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.values(record)).not.toContain(event);
    expect(Object.keys(record).sort()).toEqual(['at', 'code', 'initiator', 'phase', 'reason', 'synthetic', 'wasClean']);
  });

  it('records a rejected handshake: phase connecting, status, Retry-After clamped', () => {
    const record = normalizeClose(
      { code: 1006, reason: '' },
      { handshake: { status: 429, headers: { 'Retry-After': '3600' } }, now },
    );
    expect(record).toMatchObject({
      code: 1006,
      wasClean: false,
      phase: 'connecting',
      initiator: 'transport',
      handshake: { status: 429, retryAfterMs: 600_000 },
    });
  });

  it('reads an HTTP-date Retry-After against the context clock', () => {
    const record = normalizeClose(
      { code: 1006 },
      {
        handshake: {
          status: 503,
          headers: { 'retry-after': new Date(now + 20_000).toUTCString() },
        },
        now,
      },
    );
    expect(record.handshake).toEqual({ status: 503, retryAfterMs: 20_000 });
  });

  it("reads an HTTP-date Retry-After against the response's own Date (the server's clock), not ours", () => {
    // Our clock is 5 min fast; the server says: in 20 s, by its clock.
    const serverNow = now - 300_000;
    const record = normalizeClose(null, {
      now,
      handshake: {
        status: 503,
        headers: { date: new Date(serverNow).toUTCString(), 'retry-after': new Date(serverNow + 20_000).toUTCString() },
      },
    });
    expect(record.handshake).toEqual({ status: 503, retryAfterMs: 20_000 });
  });

  it('drops a handshake status outside 100–599 and a garbage Retry-After', () => {
    const record = normalizeClose(
      { code: 1006 },
      { phase: 'connecting', handshake: { status: 99, headers: { 'retry-after': 'soon' } }, now },
    );
    expect(record.handshake).toBeUndefined();
    expect(record.phase).toBe('connecting');
  });

  it('uses the context for phase, initiator, synthetic and the error', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const record = normalizeClose(
      { code: 1006, reason: '' },
      { phase: 'connecting', initiator: 'timeout', synthetic: true, error, now },
    );
    expect(record).toMatchObject({
      phase: 'connecting',
      initiator: 'timeout',
      synthetic: true,
      error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' },
    });
  });

  it('ignores a context value it does not know instead of failing', () => {
    const record = normalizeClose({ code: 1000 }, { phase: 'sideways' as never, now: Number.NaN });
    expect(record.phase).toBe('open');
    expect(Number.isFinite(record.at)).toBe(true);
  });

  it('is never clean for a close before open, unless the platform said so', () => {
    expect(normalizeClose({ code: 1000 }, { phase: 'connecting', now }).wasClean).toBe(false);
  });

  describe('properties', () => {
    const anyContext = fc.record(
      {
        phase: fc.oneof(fc.constantFrom('connecting', 'open', 'closing'), fc.anything()),
        initiator: fc.oneof(fc.constantFrom('client', 'server', 'transport', 'heartbeat', 'timeout'), fc.anything()),
        handshake: fc.anything(),
        error: fc.anything(),
        synthetic: fc.anything(),
        now: fc.oneof(fc.integer(), fc.double()),
      },
      { requiredKeys: [] },
    );
    const closeLike = fc.record(
      {
        code: fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double(), fc.anything()),
        reason: fc.oneof(fc.string(), fc.uint8Array(), fc.anything()),
        wasClean: fc.anything(),
      },
      { requiredKeys: [] },
    );

    it('returns a schema-valid record and never throws, on any input', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), closeLike), anyContext, (input, context) => {
          const record: CloseRecord = normalizeClose(input, context as never);
          expect(closeRecordSchema.safeParse(record).success).toBe(true);
        }),
        { numRuns: 3000 },
      );
    });

    it('keeps any valid code and string reason exactly', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 65535 }), fc.string(), (code, reason) => {
          const record = normalizeClose({ code, reason }, { now });
          expect(record.code).toBe(code);
          expect(record.reason).toBe(reason);
          expect(record.synthetic).toBe(false);
        }),
        { numRuns: 1000 },
      );
    });
  });
});

describe('normalizeClose keeps the context when the input cannot be read', () => {
  // A transport's close object whose reason getter throws (or a revoked proxy): the README says it
  // becomes a synthetic 1006, but what the *caller* knows (the handshake's HTTP answer, the error,
  // and the phase that follows from it) is not part of the unreadable input.
  const unreadable = () => {
    const { proxy, revoke } = Proxy.revocable({ code: 1000, reason: '' }, {});
    revoke();
    return proxy;
  };
  const throwingReason = {
    code: 1006,
    get reason(): string {
      throw new Error('boom');
    },
  };
  const context = {
    now,
    handshake: { status: 401, headers: { 'retry-after': '5' } },
    error: { name: 'Error', message: 'Unexpected server response: 401', code: 'ECONNRESET' },
  };

  it.each([
    ['a revoked proxy', unreadable],
    ['a throwing reason getter', () => throwingReason],
  ])('%s: the record is the same as for input that is merely not an object', (_label, input) => {
    const expected = normalizeClose(null, context);
    expect(expected).toMatchObject({ code: 1006, synthetic: true, phase: 'connecting', handshake: { status: 401 } });
    const got = normalizeClose(input(), context);
    expect(closeRecordSchema.safeParse(got).success).toBe(true);
    // CloseContext.phase: "Default: `connecting` when a handshake answer is given, else `open`."
    expect(got.phase).toBe('connecting');
    expect(got.handshake).toEqual({ status: 401, retryAfterMs: 5000 });
    expect(got.error).toEqual(context.error);
  });

  it('so a rejected 401 handshake is refreshed, not retried as a lost link', () => {
    const got = normalizeClose(throwingReason, context);
    const decision = decide(definePolicy(), got, { attempt: 1, refreshAvailable: true, now, random: () => 0.5 });
    expect(decision.rule).toBe('default:http-401');
    expect(decision.action).toBe('refresh');
  });
});
