import {
  CloseCode,
  closeCodeName,
  closeCodeRange,
  describeCloseCode,
  isLocalOnlyCloseCode,
  isSendableCloseCode,
  isWireCloseCode,
} from '@resock/core';
import { describe, expect, it } from 'vitest';

describe('CloseCode', () => {
  it('names every RFC 6455 / IANA code 1000–1015 and the registered 3000, 3003, 3008', () => {
    const codes = Object.values(CloseCode).sort((a, b) => a - b);
    expect(codes).toEqual([
      1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 3000, 3003, 3008,
    ]);
    expect(CloseCode.ServiceRestart).toBe(1012);
    expect(closeCodeName(1013)).toBe('Try Again Later');
    expect(closeCodeName(3003)).toBe('Forbidden');
    expect(closeCodeName(4001)).toBeUndefined();
  });

  it.each([
    [0, 'invalid'],
    [999, 'invalid'],
    [1000, 'standard'],
    [1015, 'standard'],
    [1016, 'invalid'],
    [2999, 'invalid'],
    [3000, 'registered'],
    [3999, 'registered'],
    [4000, 'private'],
    [4999, 'private'],
    [5000, 'invalid'],
    [1000.5, 'invalid'],
  ] as const)('puts %d in the %s range', (code, range) => {
    expect(closeCodeRange(code)).toBe(range);
  });

  it('describes codes for people', () => {
    expect(describeCloseCode(1012)).toBe('1012 Service Restart');
    expect(describeCloseCode(4001)).toBe('4001 (private)');
    expect(describeCloseCode(2999)).toBe('2999 (invalid)');
  });
});

describe('isSendableCloseCode', () => {
  it('accepts only 1000 and 3000–4999, what browsers accept', () => {
    const sendable = [];
    for (let code = 0; code <= 5100; code++) if (isSendableCloseCode(code)) sendable.push(code);
    expect(sendable[0]).toBe(1000);
    expect(sendable[1]).toBe(3000);
    expect(sendable.at(-1)).toBe(4999);
    expect(sendable).toHaveLength(2001);
  });

  it.each([1001, 1005, 1006, 1011, 1015, 2999, 5000, 1000.7, Number.NaN, '1000', null, undefined])(
    'rejects %s',
    (code) => {
      expect(isSendableCloseCode(code)).toBe(false);
    },
  );
});

describe('wire validity', () => {
  it('marks 1005, 1006 and 1015 local-only and never valid on the wire', () => {
    for (const code of [1005, 1006, 1015]) {
      expect(isLocalOnlyCloseCode(code)).toBe(true);
      expect(isWireCloseCode(code)).toBe(false);
    }
  });

  it('accepts 1000–1003, 1007–1014 and 3000–4999 on the wire and nothing else', () => {
    const valid = [];
    for (let code = 0; code <= 70000; code++) if (isWireCloseCode(code)) valid.push(code);
    expect(valid).toHaveLength(4 + 8 + 2000);
    expect(isWireCloseCode(1004)).toBe(false);
    expect(isWireCloseCode(2999)).toBe(false);
  });
});
