// Every error class resock throws has its guard, which also matches another copy of resock's
// (a second install: instanceof fails across them), and only its own class and subclasses.
import * as core from '@resock/core';
import { describe, expect, it } from 'vitest';

/** Each class, the guard the README promises for it, and an instance. */
const classes = [
  ['InvalidOptionsError', new core.InvalidOptionsError([])],
  ['InvalidPolicyError', new core.InvalidPolicyError([])],
  ['InvalidCloseCodeError', new core.InvalidCloseCodeError(1001)],
  ['InvalidCloseReasonError', new core.InvalidCloseReasonError('\uD800')],
  ['CloseReasonTooLongError', new core.CloseReasonTooLongError('x'.repeat(200), 200)],
  ['InvalidMessageError', new core.InvalidMessageError(42)],
  ['QueueFullError', new core.QueueFullError('maxMessages', 1)],
  ['ClientClosedError', new core.ClientClosedError('send')],
  ['ClientFailedError', new core.ClientFailedError('rule', undefined as never)],
  ['MessageDroppedError', new core.MessageDroppedError('closed', 'x')],
  ['ClientRuntimeError', new core.ClientRuntimeError('listener', 'a listener threw', new Error('x'))],
] as const;

const guardOf = (name: string) => (core as unknown as Record<string, (e: unknown) => boolean>)[`is${name}`];

describe('error guards', () => {
  it('the list below holds every error class core exports', () => {
    const exported = Object.entries(core)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof core.ResockError)
      .map(([name]) => name);
    expect(exported.sort()).toEqual(classes.map(([name]) => name).sort());
  });

  it.each(classes)('%s has its guard, for its own instances and another copy’s', (name, error) => {
    const guard = guardOf(name);
    expect(guard, `is${name} is exported`).toBeTypeOf('function');
    expect(guard?.(error)).toBe(true);
    expect(guard?.({ name, message: 'from another copy' })).toBe(true);
    expect(core.isResockError(error)).toBe(true);
    // No other class's guard says yes, but a subclass's parent's.
    for (const [other] of classes) {
      const parent = name === 'CloseReasonTooLongError' && other === 'InvalidCloseReasonError';
      if (other !== name) expect(guardOf(other)?.(error), `is${other}(${name})`).toBe(parent);
    }
  });
});
