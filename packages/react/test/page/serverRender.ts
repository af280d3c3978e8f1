// Bundled by serverRender.test.ts with the React under test in react's place, then run in Node:
// one component that uses every hook, rendered to a string on the server.
import { createClient } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { useClient, useClientEvent, useClientState } from '@resock/react';
import { createElement, version } from 'react';
import { renderToString } from 'react-dom/server';

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

export function render(): { html: string; made: number; version: string } {
  return { html: renderToString(createElement(Live)), made, version };
}
