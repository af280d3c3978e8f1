// Server rendering (react-dom/server, in Node, React 19): the hooks make no client and render as
// if none had been made yet, and React says nothing. (React 18 also warns of a layout effect on
// the server, which is why the hooks use a plain effect there; that version is not run here.)
import { createClient } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { useClient, useClientEvent, useClientState } from '@resock/react';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

let made = 0;

function Live() {
  const client = useClient(() => {
    made++;
    return createClient({ url: 'wss://api.example.test/live', transport: createFakeTransport() });
  }, []);
  const state = useClientState(client);
  useClientEvent(client, 'open', () => undefined);
  return createElement('p', null, state ?? 'none');
}

describe('@resock/react when rendered on the server', () => {
  it('makes no client, renders undefined state, and warns of nothing', () => {
    const errors = vi.spyOn(console, 'error');
    expect(renderToString(createElement(Live))).toBe('<p>none</p>');
    expect(made).toBe(0);
    expect(errors).not.toHaveBeenCalled();
  });
});
