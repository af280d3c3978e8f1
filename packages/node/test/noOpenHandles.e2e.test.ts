import { createClient } from '@resock/node';
import { startScenarioServer, watchHandles } from '@resock/test-utils';
import { expect, it } from 'vitest';

const turn = () => new Promise((resolve) => setImmediate(resolve));

it('leaves no socket, server or timer behind after a run of reconnects and close()', async () => {
  const handles = watchHandles();
  const server = await startScenarioServer();
  server.plan({ kind: 'terminate', afterMs: 5 }, { kind: 'close', code: 4002 }, { kind: 'reject', status: 503 });
  const client = createClient({ url: server.url, policy: { backoff: { type: 'constant', delayMs: 10 } } });
  client.send('queued');
  await server.waitForAttempts(4);
  await client.opened();
  await client.close();
  await server.stop();
  await turn();
  await turn();
  handles.stop();
  expect(handles.alive()).toEqual({ TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 });
});
