import { type AddressInfo, createServer, type Socket } from 'node:net';
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium: ReconnectingWebSocket${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('works as the MDN close-event example uses a WebSocket: addEventListener and onclose', async () => {
    harness().server.plan({ kind: 'close', code: 4001, reason: 'token expired' });
    const seen = await harness().page.evaluate(async (url) => {
      const { ReconnectingWebSocket } = window.resock;
      const ws = new ReconnectingWebSocket(url);
      const events: string[] = [];
      const done = new Promise<void>((resolve) => {
        // As in MDN's "WebSocket: close event": addEventListener('close', …) and onclose = …
        ws.addEventListener('close', (event) => {
          const { code, reason, wasClean } = event as CloseEvent;
          events.push(`listener ${code} ${reason} ${wasClean}`);
        });
        ws.onclose = (event) => {
          events.push(`onclose ${event.code} ${event.reason} ${event.wasClean}`);
          resolve();
        };
      });
      ws.onopen = () => events.push(`open ${ws.readyState === ws.OPEN}`);
      ws.onerror = () => events.push('error');
      await done;
      events.push(`readyState ${ws.readyState}`);
      // The error and close a close() causes come just after it (a microtask each, as natively).
      const ended = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve(), { once: true }));
      ws.close();
      await ended;
      return events;
    }, `${harness().server.url}/mdn`);
    expect(seen).toEqual([
      'open true',
      'listener 4001 token expired true',
      'onclose 4001 token expired true',
      'readyState 0', // reconnecting: CONNECTING, as code waiting for OPEN expects
      // close() while it waits to reconnect (CONNECTING, nothing in flight) ends it for good, as
      // a WebSocket closed while CONNECTING: error, then close 1006
      'error',
      'listener 1006  false',
      'onclose 1006  false',
    ]);
  });

  it('sends a Blob as a WebSocket does: queued before open, then in its place among the others', async () => {
    harness().server.plan({ kind: 'echo' });
    const seen = await harness().page.evaluate(async (url) => {
      const ws = new window.resock.ReconnectingWebSocket(url);
      ws.binaryType = 'arraybuffer';
      const echoed: string[] = [];
      const done = new Promise<void>((resolve) => {
        ws.onmessage = (event) => {
          const { data } = event;
          echoed.push(typeof data === 'string' ? data : `${(data as ArrayBuffer).byteLength} bytes`);
          if (echoed.length === 4) resolve();
        };
      });
      ws.send(new Blob([new Uint8Array(256 * 1024)])); // before open: queued
      ws.send('queued after the blob');
      const queued = ws.bufferedAmount;
      ws.onopen = () => {
        ws.send(new Blob(['abc']));
        ws.send('last');
      };
      await done;
      ws.close();
      return { queued, echoed };
    }, `${harness().server.url}/blob`);
    expect(seen).toEqual({
      queued: 256 * 1024 + 21,
      echoed: [`${256 * 1024} bytes`, 'queued after the blob', '3 bytes', 'last'],
    });
  });

  it('takes a URL relative to the page, as new WebSocket(url) does', async () => {
    const seen = await harness().page.evaluate(async () => {
      const ws = new window.resock.ReconnectingWebSocket('/echo?token=t');
      const url = ws.url;
      const echoed = await new Promise<unknown>((resolve) => {
        ws.onopen = () => ws.send('hi');
        ws.onmessage = (event) => resolve(event.data);
      });
      ws.close();
      return { url, echoed };
    });
    expect(seen).toEqual({ url: `ws://127.0.0.1:${harness().server.port}/echo?token=***`, echoed: 'hi' });
  });

  it('sends what was sent before open, in order, and receives text', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      const ws = new window.resock.ReconnectingWebSocket(url);
      ws.send('first');
      ws.send('second');
      const messages: unknown[] = [];
      await new Promise<void>((resolve) => {
        ws.onmessage = (event) => {
          messages.push(event.data);
          if (messages.length === 2) resolve();
        };
      });
      ws.close();
      return messages;
    }, `${harness().server.url}/echo`);
    expect(seen).toEqual(['first', 'second']);
  });

  it('createClient delivers binary as an ArrayBuffer (binaryType arraybuffer)', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      const client = window.resock.createClient({ url });
      const received = new Promise<unknown>((resolve) => client.once('message', resolve));
      client.send(new Uint8Array([1, 2, 255]));
      const data = await received;
      await client.close();
      return { isArrayBuffer: data instanceof ArrayBuffer, bytes: [...new Uint8Array(data as ArrayBuffer)] };
    }, `${harness().server.url}/binary`);
    expect(seen).toEqual({ isArrayBuffer: true, bytes: [1, 2, 255] });
  });
  it('close() with no code closes as a native one: a bare close frame, 1005 on both sides', async () => {
    harness().server.plan({ kind: 'echo' }, { kind: 'echo' });
    const before = harness().server.clientCloses.length;
    const seen = await harness().page.evaluate(async (url) => {
      const closeOnOpen = (ws: WebSocket | InstanceType<typeof window.resock.ReconnectingWebSocket>) =>
        new Promise<string>((resolve) => {
          ws.onopen = () => ws.close();
          ws.onclose = (event: CloseEvent) => resolve(`close ${event.code} "${event.reason}" ${event.wasClean}`);
        });
      const native = await closeOnOpen(new WebSocket(url));
      const facade = await closeOnOpen(new window.resock.ReconnectingWebSocket(url));
      return { native, facade };
    }, `${harness().server.url}/bare-close`);
    expect(seen.native).toBe('close 1005 "" true');
    expect(seen.facade).toBe(seen.native);
    await harness().server.waitForClientClose(before + 2);
    expect(
      harness()
        .server.clientCloses.slice(before)
        .map(({ code }) => code),
    ).toEqual([1005, 1005]);
  });

  it('close() while connecting: CLOSING, then error and close 1006 from a later task, as native', async () => {
    // A server that takes TCP and never answers the upgrade (not a planned scenario: close() may
    // come before the attempt reaches a server at all).
    const silent = createServer((socket) => sockets.push(socket));
    const sockets: Socket[] = [];
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const seen = await harness().page.evaluate(async (url) => {
      const closeWhileConnecting = async (ws: WebSocket | InstanceType<typeof window.resock.ReconnectingWebSocket>) => {
        const events: string[] = [];
        ws.onerror = () => events.push(`error ${ws.readyState}`);
        ws.close();
        events.push(`after close() ${ws.readyState}`);
        // Added after close(): heard, because the events come from a task, not from inside close().
        await new Promise((resolve) =>
          ws.addEventListener('close', (event) => resolve(events.push(`close ${(event as CloseEvent).code}`))),
        );
        return events;
      };
      const native = await closeWhileConnecting(new WebSocket(url));
      const facade = await closeWhileConnecting(new window.resock.ReconnectingWebSocket(url));
      return { native, facade };
    }, `ws://127.0.0.1:${port}/close-while-connecting`);
    for (const socket of sockets) socket.destroy();
    silent.close();
    expect(seen.native).toEqual(['after close() 2', 'error 3', 'close 1006']);
    expect(seen.facade).toEqual(seen.native);
  });

  it('says error only when a connection failed: not for an open one the network dropped (as native)', async () => {
    harness().server.plan({ kind: 'terminate', afterMs: 50 }, { kind: 'terminate', afterMs: 50 });
    const seen = await harness().page.evaluate(async (url) => {
      // The first connection's events only (the facade then reconnects).
      const firstConnection = (ws: WebSocket | InstanceType<typeof window.resock.ReconnectingWebSocket>) =>
        new Promise<string[]>((resolve) => {
          const events: string[] = [];
          ws.onopen = () => events.push('open');
          ws.onerror = () => events.push('error');
          ws.onclose = (event: CloseEvent) => {
            events.push(`close ${event.code} ${event.wasClean}`);
            resolve([...events]); // not what close() below adds
          };
        });
      const native = await firstConnection(new WebSocket(url));
      const facadeSocket = new window.resock.ReconnectingWebSocket(url);
      const facade = await firstConnection(facadeSocket);
      facadeSocket.close();
      return { native, facade };
    }, `${harness().server.url}/dropped`);
    expect(seen.native).toEqual(['open', 'close 1006 false']);
    expect(seen.facade).toEqual(seen.native);
  });

  it('installed as window.WebSocket (so other code reconnects too): one facade over one native socket', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      const Native = window.WebSocket;
      let constructed = 0;
      // The guard only keeps the page alive if facades open facades (it was ~400 deep).
      class Polyfill extends window.resock.ReconnectingWebSocket {
        constructor(u: string, p?: string | string[]) {
          if (++constructed > 50) throw new Error('runaway recursion');
          super(u, p);
        }
      }
      (window as unknown as { WebSocket: unknown }).WebSocket = Polyfill;
      try {
        const ws = new (window.WebSocket as unknown as typeof Polyfill)(url);
        const echoed = await new Promise<unknown>((resolve) => {
          ws.onopen = () => ws.send('hi');
          ws.onmessage = (event) => resolve(event.data);
          ws.onclose = () => resolve('closed');
        });
        ws.close();
        return { constructed, echoed };
      } finally {
        (window as unknown as { WebSocket: unknown }).WebSocket = Native;
      }
    }, `${harness().server.url}/echo`);
    expect(seen).toEqual({ constructed: 1, echoed: 'hi' });
  });

  it("honours binaryType blob for an iframe's WebSocket (binary from another realm)", async () => {
    const kind = await harness().page.evaluate(async (url) => {
      const iframe = document.createElement('iframe');
      document.body.append(iframe);
      const { ReconnectingWebSocket, browserTransport } = window.resock;
      const IframeWebSocket = (iframe.contentWindow as unknown as { WebSocket: never }).WebSocket;
      const ws = new ReconnectingWebSocket(url, undefined, {
        transport: browserTransport({ WebSocket: IframeWebSocket }),
      });
      const data = await new Promise<unknown>((resolve) => {
        ws.onopen = () => ws.send(new Uint8Array([1, 2, 3]));
        ws.onmessage = (event) => resolve(event.data);
      });
      ws.close();
      iframe.remove();
      return Object.prototype.toString.call(data);
    }, `${harness().server.url}/binary`);
    expect(kind).toBe('[object Blob]');
  });

  it("sends a Blob from an iframe (the platform's own, another realm); refuses a library's Blob at send()", async () => {
    harness().server.plan({ kind: 'echo' });
    const seen = await harness().page.evaluate(async (url) => {
      const iframe = document.createElement('iframe');
      document.body.append(iframe);
      const IframeBlob = (iframe.contentWindow as unknown as { Blob: typeof Blob }).Blob;
      const ws = new window.resock.ReconnectingWebSocket(url);
      ws.binaryType = 'arraybuffer';
      // A library's Blob: the tag and the methods, not the platform's object.
      const foreign = {
        size: 3,
        type: '',
        arrayBuffer: async () => new Uint8Array([7, 8, 9]).buffer,
        stream: () => new Blob([new Uint8Array([7, 8, 9])]).stream(),
        [Symbol.toStringTag]: 'Blob',
      };
      const echoed = await new Promise<number[]>((resolve) => {
        ws.onmessage = (event) => resolve([...new Uint8Array(event.data as ArrayBuffer)]);
        ws.onopen = () => ws.send(new IframeBlob([new Uint8Array([1, 2, 3])]));
      });
      let refused = '';
      try {
        ws.send(foreign as unknown as Blob);
      } catch (error) {
        refused = (error as Error).name;
      }
      ws.close();
      iframe.remove();
      return { echoed, refused };
    }, `${harness().server.url}/iframe-blob`);
    expect(seen).toEqual({ echoed: [1, 2, 3], refused: 'InvalidMessageError' });
  });
});
