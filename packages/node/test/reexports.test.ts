import * as core from '@resock/core';
import * as node from '@resock/node';
import { describe, expect, it } from 'vitest';

describe('@resock/node', () => {
  it('re-exports every name of @resock/core, so users install one package', () => {
    const missing = Object.keys(core).filter((name) => !(name in node));
    expect(missing).toEqual([]);
  });

  it('adds only the Node transports', () => {
    const added = Object.keys(node).filter((name) => !(name in core));
    expect(added.sort()).toEqual(['nativeTransport', 'nodeTransport']);
  });

  it('hands out core’s functions and classes themselves, and pre-binds createClient and ReconnectingWebSocket', () => {
    expect(node.definePolicy).toBe(core.definePolicy);
    expect(node.ResockError).toBe(core.ResockError);
    expect(node.createClient).not.toBe(core.createClient);
    expect(new node.ReconnectingWebSocket('ws://127.0.0.1:9', undefined, { lazy: true })).toBeInstanceOf(
      core.ReconnectingWebSocket,
    );
  });
});
