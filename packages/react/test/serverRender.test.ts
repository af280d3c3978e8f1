// Server rendering (react-dom/server in Node) on React 19 and React 18: the hooks make no client
// and render as if none had been made yet, and React says nothing. React 18 warns of a layout
// effect rendered on the server, which is why the hooks use a plain effect where there is no
// document. The component is bundled with the React under test in react's place (its
// development build, where the warnings are).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundlePage } from '@resock/test-utils/chromium';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const entry = fileURLToPath(new URL('./page/serverRender.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'resock-ssr-'));
const reacts = [
  { version: '19', alias: {} },
  { version: '18', alias: { react: 'react18', 'react-dom': 'react-dom18' } },
];

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(reacts)('@resock/react rendered on the server by React $version', ({ version, alias }) => {
  it('makes no client, renders undefined state, and warns of nothing', async () => {
    const file = join(dir, `render-${version}.mjs`);
    writeFileSync(file, await bundlePage(entry, { define: { 'process.env.NODE_ENV': '"development"' }, alias }));
    const { render } = (await import(pathToFileURL(file).href)) as {
      render(): { html: string; made: number; version: string };
    };
    const errors = vi.spyOn(console, 'error');
    const rendered = render();
    expect(rendered.version.split('.')[0]).toBe(version);
    expect(rendered.html).toBe('<p>none</p>');
    expect(rendered.made).toBe(0);
    expect(errors).not.toHaveBeenCalled();
  });
});
