// Differential tests' harness: one script run against a native WebSocket and against
// ReconnectingWebSocket in the same page, every event traced (type, readyState, fields, and where
// a listener's microtask runs), compared up to and including the first close of the first
// connection. Where the script itself closed the socket, the facade must not reconnect either: a
// short settle after the last event (300 ms, only to catch late extra events) is compared too.
import type { Scenario } from '@resock/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from './browserHarness';
import { installTracer, type PageResult, type Script } from './eventTracer';

export type { Action } from './eventTracer';
export { startProtocolServer } from './protocolServer';

/** Starts Chromium with the tracer for the calling test file; `differential` and `compare` use it. */
export function useDifferential() {
  const context = {} as { harness: BrowserHarness };
  beforeAll(async () => {
    context.harness = await startBrowserHarness();
    await context.harness.page.evaluate(installTracer);
  }, 30_000);
  afterAll(() => context.harness.close());

  interface Run {
    trace: string[];
    extras: string[];
    settled: string;
    server: { path: string; protocols: string[]; clientClose: string; received: string[] } | undefined;
  }

  /**
   * Runs the script on a native socket, then on a facade (each with `scenario` planned for its
   * first attempt), and returns both runs. `drive` runs between start and finish (e.g. to act
   * once the server has seen the attempt).
   */
  async function differential(
    path: string,
    scenario: Scenario | undefined,
    script: Script,
    options: {
      accepted?: boolean;
      drive?: (attemptBefore: number) => Promise<void>;
      url?: string;
      racyServer?: boolean;
    } = {},
  ) {
    const { server, page } = context.harness;
    const runs: Record<'native' | 'facade', Run> = {} as never;
    for (const which of ['native', 'facade'] as const) {
      const attemptBefore = server.attempts.length;
      if (scenario) server.plan(scenario);
      await page.evaluate(
        ([w, url, s]) => (window.state.tracer as { start: (...a: unknown[]) => void }).start(w, url, s),
        [which, options.url ?? `${server.url}${path}`, script] as const,
      );
      if (options.drive) await options.drive(attemptBefore);
      const result = await page.evaluate(() =>
        (window.state.tracer as { finish: (t: number) => Promise<PageResult> }).finish(8000),
      );
      let serverSide: Run['server'];
      if (!options.url) {
        const n = attemptBefore + 1;
        if (options.accepted !== false) {
          // bounded: the server's view of that connection's end
          const deadline = Date.now() + 3000;
          while (!server.clientCloses.some((c) => c.attempt === n) && Date.now() < deadline) {
            await server
              .waitForClientClose(server.clientCloses.length + 1, deadline - Date.now())
              .catch(() => undefined);
          }
        }
        const attempt = server.attempts.find((a) => a.n === n);
        const close = server.clientCloses.find((c) => c.attempt === n);
        serverSide = {
          path: attempt?.path ?? '<no attempt>',
          protocols: attempt?.protocols ?? ['<no attempt>'],
          clientClose: close ? `${close.code} ${JSON.stringify(close.reason)}` : 'none',
          received: server.received
            .filter((r) => r.attempt === n)
            .map((r) => (typeof r.data === 'string' ? r.data : `bytes:${[...r.data].join(',')}`)),
        };
      }
      const ended = await page.evaluate(() => (window.state.tracer as { teardown: () => Promise<string> }).teardown());
      // The facade let go for good before the next run (it must take none of its scenarios).
      if (which === 'facade') expect(['closed', 'failed']).toContain(ended);
      // Whether an attempt closed while CONNECTING reached the server is a race: not compared.
      runs[which] = { ...result, server: options.racyServer ? undefined : serverSide };
    }
    return runs;
  }

  /** The facade's extras after the first close, minus what its reconnect adds by design. */
  function undesignedExtras(extras: string[]): string[] {
    const upToReopen = extras.slice(
      0,
      extras.findIndex((e) => e.startsWith('open ')) === -1
        ? extras.length
        : extras.findIndex((e) => e.startsWith('open ')),
    );
    // A new failed attempt (error then close with a new record) is the reconnect too.
    return upToReopen.filter(
      (e, i) =>
        !(e.endsWith('[new record]') || (e.startsWith('error ') && upToReopen[i + 1]?.endsWith('[new record]'))),
    );
  }

  /** Both runs compared; `clientClosed`: the script closed the socket, so the facade must end too. */
  function compare(runs: Record<'native' | 'facade', Run>, clientClosed: boolean) {
    const { native, facade } = runs;
    // Two runs where nothing happened would compare equal: the native socket must have closed.
    expect(native.settled, 'native: it closed within the wait').not.toBe('timeout');
    expect(
      native.trace.some((line) => line.startsWith('close ')),
      'native: a close event',
    ).toBe(true);
    expect(native.extras, 'native: no events after its close').toEqual([]);
    const facadeView = {
      trace: facade.trace,
      extras: clientClosed ? facade.extras : undesignedExtras(facade.extras),
      settled: clientClosed ? facade.settled : native.settled,
      server: facade.server,
    };
    expect(facadeView).toEqual({ trace: native.trace, extras: [], settled: native.settled, server: native.server });
  }

  return { context, differential, compare };
}
