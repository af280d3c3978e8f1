import {
  assertCloseArguments,
  CloseReasonTooLongError,
  InvalidCloseCodeError,
  InvalidCloseReasonError,
  isCloseReasonTooLongError,
  isInvalidCloseCodeError,
  isResockError,
  ResockError,
  utf8ByteLength,
} from '@resock/core';
import { describe, expect, it } from 'vitest';

describe('assertCloseArguments', () => {
  it.each([1000, 3000, 4001, 4999])('lets %d through', (code) => {
    expect(() => assertCloseArguments(code, 'bye')).not.toThrow();
  });

  it.each([1001, 1005, 1006, 1011, 1012, 2999, 5000, 0, 1000.7, Number.NaN, '1000'])(
    'throws InvalidCloseCodeError for %s, as a browser would',
    (code) => {
      const call = () => assertCloseArguments(code, '');
      expect(call).toThrow(InvalidCloseCodeError);
      expect(call).toThrow(/1000 or a code in 3000–4999/);
    },
  );

  it('counts the reason in UTF-8 bytes, not characters: 62 × "é" is 124 bytes', () => {
    const tooLong = 'é'.repeat(62);
    expect(tooLong).toHaveLength(62);
    expect(utf8ByteLength(tooLong)).toBe(124);
    let error: unknown;
    try {
      assertCloseArguments(1000, tooLong);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CloseReasonTooLongError);
    expect(error).toMatchObject({
      name: 'CloseReasonTooLongError',
      byteLength: 124,
      maxByteLength: 123,
    });
    expect(() => assertCloseArguments(1000, `${'é'.repeat(61)}a`)).not.toThrow();
    expect(() => assertCloseArguments(1000, 'a'.repeat(123))).not.toThrow();
    expect(() => assertCloseArguments(1000, 'a'.repeat(124))).toThrow(CloseReasonTooLongError);
  });

  it('rejects a reason that is not a string', () => {
    expect(() => assertCloseArguments(1000, 42)).toThrow(InvalidCloseReasonError);
  });

  it('says a number is expected when the code is not one (close("1000"))', () => {
    expect(() => assertCloseArguments('1000' as never, '')).toThrow(/cannot be sent: use a number, 1000 or/);
    expect(() => assertCloseArguments(1001, '')).toThrow(/cannot be sent: use 1000 or a code in 3000–4999/);
  });

  it('makes every error a ResockError, matched by instanceof or by name', () => {
    const error = new InvalidCloseCodeError(1001);
    expect(error).toBeInstanceOf(ResockError);
    expect(error).toBeInstanceOf(Error);
    expect(isResockError(error)).toBe(true);
    expect(isInvalidCloseCodeError({ name: 'InvalidCloseCodeError' })).toBe(true);
    expect(isCloseReasonTooLongError(new Error('x'))).toBe(false);
  });
});

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3], // a lone surrogate is sent as U+FFFD
  ])('%j is %d bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});
