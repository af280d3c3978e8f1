// Which effect the hooks subscribe in, by platform: a layout effect wherever it runs in the
// commit's task (a page, React Native), a plain one on the server (a layout effect warns there).
import { useEffect, useLayoutEffect } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

const load = async () => (await import('../src/taskEffect')).useTaskEffect;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('useTaskEffect', () => {
  it('is a layout effect in React Native, which has no document: its first events are heard', async () => {
    vi.stubGlobal('navigator', { product: 'ReactNative' });
    expect(await load()).toBe(useLayoutEffect);
  });

  it('is a layout effect in a page', async () => {
    vi.stubGlobal('document', {});
    expect(await load()).toBe(useLayoutEffect);
  });

  it('is a plain effect on the server (no document, no React Native)', async () => {
    expect(await load()).toBe(useEffect);
  });
});
