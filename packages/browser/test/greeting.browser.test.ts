import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A page authenticates in its first message (a browser sends no handshake headers): `greeting`
// on the native WebSocket, against a real server (it echoes, so the greeting's echo accepts it).
describe.skipIf(chromiumMissing)(`Chromium: greeting${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('greets every connection first, with a fresh token, and holds the queue and the open until the server accepts', async () => {
    const { page, server } = harness();
    const first = await page.evaluate(async (url) => {
      let token = 0;
      const seen: string[] = [];
      const client = window.resock.createClient({
        url,
        greeting: {
          message: () => `hello ${++token}`,
          isAccepted: (data) => {
            const accepted = typeof data === 'string' && data.startsWith('hello');
            // What was written, and what was told, by the time the acceptance arrives.
            if (accepted) seen.push(`accepted: ${client.stats.messagesSent} sent, ${client.state}`);
            return accepted;
          },
        },
      });
      client.on('open', () => seen.push(`open (${client.state})`));
      client.on('message', (data) => seen.push(String(data)));
      window.state = { client, seen };
      client.send('queued 1');
      client.send('queued 2');
      await client.opened();
      return seen.slice(0, 3);
    }, `${server.url}/greeting`);
    // Until the acceptance only the greeting went out and the client was connecting; the open
    // is told on it, and the acceptance is heard after the open.
    expect(first).toEqual(['accepted: 1 sent, connecting', 'open (open)', 'hello 1']);
    await server.waitForReceived(3);
    expect(server.received.slice(0, 3)).toMatchObject([
      { attempt: 1, data: 'hello 1' },
      { attempt: 1, data: 'queued 1' },
      { attempt: 1, data: 'queued 2' },
    ]);
    // The next connection says it again, with its own token, before anything else.
    await page.evaluate(async () => {
      const client = window.state.client as ReturnType<typeof window.resock.createClient>;
      client.reconnect();
      client.send('after');
      await client.opened();
    });
    await server.waitForReceived((all) => all.some((r) => r.data === 'after'));
    expect(server.received.filter((r) => r.attempt === 2).map((r) => String(r.data))).toEqual(['hello 2', 'after']);
  });
});
