import { createClient, type SendResult } from '@resock/node';
import { heapAfterGc as heap, jsonAcks, startChaosProxy, startScenarioServer, watchHandles } from '@resock/test-utils';

export interface SoakReport {
  seed: number;
  messages: number;
  reliable: boolean;
  lost: number;
  duplicates: number;
  /** Messages that arrived after a higher id on the same connection. */
  reordered: number;
  /** Of the messages send() called 'queued', how many the server did not see exactly once. */
  queuedNotExactlyOnce: number;
  reconnects: number;
  cuts: number;
  stalls: number;
  refused: number;
  seconds: number;
  openSocketsAtEnd: number;
  timersLeft: number;
  heapGrowth: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Numbered messages at a steady rate through a chaos proxy (cuts every 50–500 ms, stalls,
 * delays, refusals) to a real ws server that echoes — or acknowledges, with reliable delivery.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  // Only the timers made from here on: the test runner's own come and go meanwhile.
  const handles = watchHandles();
  const heapBefore = heap();
  // The run's own records (every message the server saw, the send results) are gone once
  // soakOnce returns: what is left on the heap is what the client, proxy and server kept.
  const report = await soakOnce(options);
  // A few turns of the event loop for the sockets' close callbacks to run before timers are
  // counted.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  handles.stop();
  return { ...report, timersLeft: handles.alive().Timeout, heapGrowth: heap() / heapBefore - 1 };
}

interface SoakOptions {
  messages: number;
  intervalMs: number;
  seed: number;
  reliable: boolean;
  deadlineMs: number;
}

async function soakOnce(options: SoakOptions): Promise<Omit<SoakReport, 'timersLeft' | 'heapGrowth'>> {
  const started = performance.now();
  const server = await startScenarioServer({ default: { kind: options.reliable ? 'ack' : 'echo' } });
  const proxy = await startChaosProxy({ targetPort: server.port, seed: options.seed });
  const client = createClient({
    url: `${proxy.url}/soak`,
    policy: { backoff: { type: 'constant', delayMs: 20, jitterMs: 30 } },
    heartbeat: { intervalMs: 200, timeoutMs: 250 },
    connectTimeoutMs: 1000,
    closeTimeoutMs: 300,
    queue: { maxMessages: options.messages, maxBytes: 16 * 1024 * 1024 },
    ...(options.reliable ? { reliable: jsonAcks } : {}),
  });
  let reconnects = -1;
  let lastChange = performance.now();
  client.on('open', () => {
    reconnects++;
    lastChange = performance.now();
  });
  client.on('close', () => {
    lastChange = performance.now();
  });
  const results: SendResult[] = [];
  for (let id = 0; id < options.messages; id++) {
    results.push(client.send(JSON.stringify({ id })));
    if (options.intervalMs > 0) await sleep(options.intervalMs);
  }
  // The network calms down; everything owed must now arrive.
  proxy.calm();
  const deadline = performance.now() + options.deadlineMs;
  // Settled: open, nothing owed, and quiet for longer than a stalled link takes to be noticed
  // (heartbeat 200 + 250 ms), since a link that was already stalling is still cut.
  const settled = () =>
    client.state === 'open' &&
    client.stats.messagesQueued === 0 &&
    (!options.reliable || client.stats.messagesUnacked === 0) &&
    performance.now() - lastChange > 1000;
  while (!settled() && performance.now() < deadline) await sleep(20);
  // The last message may still be on its way to the server: wait for it to arrive (an event).
  const lastId = options.messages - 1;
  const arrived = (received: readonly { data: unknown }[]) =>
    received.some((r) => (JSON.parse(String(r.data)) as { id: number }).id === lastId);
  // Past the deadline it counts as lost, which the report says.
  await server.waitForReceived(arrived, Math.max(1, deadline - performance.now())).catch(() => undefined);
  const openSocketsAtEnd = server.sockets.size;

  const ids = server.received.map((r) => ({
    attempt: r.attempt,
    id: (JSON.parse(String(r.data)) as { id: number }).id,
  }));
  const seen = new Map<number, number>();
  for (const { id } of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  let reordered = 0;
  const lastOnConnection = new Map<number, number>();
  for (const { attempt, id } of ids) {
    if ((lastOnConnection.get(attempt) ?? -1) > id) reordered++;
    lastOnConnection.set(attempt, id);
  }
  const { cuts, stalls, refused } = proxy.stats;
  const report = {
    seed: options.seed,
    messages: options.messages,
    reliable: options.reliable,
    lost: options.messages - seen.size,
    duplicates: [...seen.values()].reduce((sum, n) => sum + (n - 1), 0),
    reordered,
    queuedNotExactlyOnce: results.filter((r, id) => r === 'queued' && seen.get(id) !== 1).length,
    reconnects,
    cuts,
    stalls,
    refused,
    seconds: (performance.now() - started) / 1000,
    openSocketsAtEnd,
  };
  await client.close();
  await proxy.stop();
  await server.stop();
  return report;
}
