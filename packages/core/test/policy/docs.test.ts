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

  it("says each row's action and in-a-row limit as the preset has them", () => {
    for (const row of presets.default) {
      const line = doc.split('\n').find((l) => l.includes(`\`default:${row.name}\``)) ?? '';
      const action = line.split('|')[3]?.trim() ?? '';
      expect(action.split(/[\s:(,]/)[0], row.name).toBe(row.action);
      const limit = /at most (\d+) in a row/.exec(action)?.[1];
      expect(limit === undefined ? undefined : Number(limit), row.name).toBe(row.maxConsecutive);
    }
  });
});
