import * as core from '@resock/core';
import * as adapter from '@resock/node';
import { describe, expect, it } from 'vitest';

describe('@resock/node', () => {
  it('re-exports every name of @resock/core, so users install one package', () => {
    expect(Object.keys(adapter).sort()).toEqual(Object.keys(core).sort());
  });

  it('hands out the very same functions and classes, not copies', () => {
    expect(adapter.definePolicy).toBe(core.definePolicy);
    expect(adapter.ResockError).toBe(core.ResockError);
  });
});
