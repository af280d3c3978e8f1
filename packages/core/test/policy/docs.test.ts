import { readFileSync } from 'node:fs';
import { presets } from '@resock/core';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../../../docs/close-codes.md', import.meta.url), 'utf8');

describe('docs/close-codes.md', () => {
  it('documents every row of the default preset, in order', () => {
    const ids = presets.default.map((row) => `\`default:${row.name}\``);
    const positions = ids.map((id) => doc.indexOf(id));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
