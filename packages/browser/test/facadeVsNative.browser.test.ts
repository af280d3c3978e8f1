import type { Scenario } from '@resock/test-utils';
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, it } from 'vitest';
import { useDifferential } from './harness/differential';

describe.skipIf(chromiumMissing)(
  `Chromium: native WebSocket vs ReconnectingWebSocket, closes, traced${skipReason}`,
  { timeout: 40_000 },
  () => {
    const { differential, compare } = useDifferential();
    const eAcute61 = 'é'.repeat(61);

    describe('server echo, then the client closes from onmessage', () => {
      // Not close(undefined, 'x'): Chromium reads the undefined code as 0 and throws; the facade
      // reads it as missing (WebIDL) and closes 1000 'x' — a difference the README states.
      for (const args of [[], [1000], [4000, 'x'], [1000, eAcute61], [1000.4]] as unknown[][]) {
        it(`close(${args.map((a) => (a === '__undefined__' ? 'undefined' : JSON.stringify(a))).join(',')})`, async () => {
          const runs = await differential(
            '/echo-close',
            { kind: 'echo' },
            {
              open: [{ send: 'hello' }],
              // If it throws, close(1000, 'fallback') so the trace still ends.
              message: [{ close: args }, { close: [1000, 'fallback'] }],
            },
          );
          compare(runs, true);
        });
      }
    });

    describe('the server closes', () => {
      const cases: Array<[number | undefined, string]> = [
        [1000, 'bye'],
        [1000, ''],
        [1001, 'going away: é'],
        [1011, 'internal'],
        [4001, ''],
        [4001, '€uro ✓ 𝄞'],
        [undefined, ''],
      ];
      for (const [code, reason] of cases) {
        it(`close ${code} ${JSON.stringify(reason)}`, async () => {
          const scenario: Scenario = code === undefined ? { kind: 'close' } : { kind: 'close', code, reason };
          const runs = await differential('/server-close', scenario, {});
          compare(runs, false);
        });
      }
    });

    describe('the server drops TCP', () => {
      for (const kind of ['terminate', 'destroy'] as const) {
        it(kind, async () => {
          const runs = await differential('/drop', { kind, afterMs: 30 }, {});
          compare(runs, false);
        });
      }
    });

    describe('close() inside handlers', () => {
      it('close() inside onopen', async () => {
        compare(await differential('/close-onopen', { kind: 'echo' }, { open: [{ close: [] }] }), true);
      });
      it('close(4000) inside onopen, with messages the server sent first being echoed', async () => {
        const runs = await differential(
          '/close-onopen-2',
          { kind: 'echo' },
          {
            open: [{ send: 'a' }, { send: 'b' }],
            message: [{ close: [4000, 'in message'] }],
          },
        );
        compare(runs, true);
      });
      it('close() inside onerror (HTTP 401)', async () => {
        const runs = await differential(
          '/close-onerror',
          { kind: 'reject', status: 401 },
          { error: [{ close: [] }] },
          {
            accepted: false,
          },
        );
        compare(runs, true);
      });
      it('close() inside onclose (server 4001)', async () => {
        const runs = await differential(
          '/close-onclose',
          { kind: 'close', code: 4001, reason: 'x' },
          {
            close: [{ close: [] }],
          },
        );
        compare(runs, true);
      });
      it('close(1000) inside onclose (server terminates)', async () => {
        const runs = await differential(
          '/close-onclose-2',
          { kind: 'terminate', afterMs: 30 },
          {
            close: [{ close: [1000] }],
          },
        );
        compare(runs, true);
      });
      it('send() inside onclose (server 4001)', async () => {
        const runs = await differential(
          '/send-onclose',
          { kind: 'close', code: 4001, reason: '' },
          {
            close: [{ send: 'late' }],
          },
        );
        compare(runs, false);
      });
      it('send() inside onclose after the client closed', async () => {
        const runs = await differential(
          '/send-onclose-2',
          { kind: 'echo' },
          {
            open: [{ close: [4000] }],
            close: [{ send: 'late' }],
          },
        );
        compare(runs, true);
      });
    });

    describe('multiple and invalid close() calls', () => {
      it('close(4000,"first"), close(1000,"second"), close() in onopen', async () => {
        const runs = await differential(
          '/multi-close',
          { kind: 'echo' },
          {
            open: [{ close: [4000, 'first'] }, { close: [1000, 'second'] }, { close: [] }],
          },
        );
        compare(runs, true);
      });
      it('close(); close() while CONNECTING', async () => {
        // Nothing planned: the attempt may never reach the server (a planned scenario would be left over).
        const runs = await differential(
          '/multi-close-connecting',
          undefined,
          {
            immediate: [{ close: [] }, { close: [] }],
          },
          { accepted: false, racyServer: true },
        );
        compare(runs, true);
      });
      it('invalid close codes and reason while OPEN, then close(1000)', async () => {
        const runs = await differential(
          '/invalid-open',
          { kind: 'echo' },
          {
            open: [
              { close: [1001] },
              { close: [999] },
              { close: [2999] },
              { close: [5000] },
              { close: [0] },
              { close: [1000, 'é'.repeat(62)] },
              { close: [1000] },
            ],
          },
        );
        compare(runs, true);
      });
      it('invalid close code while CONNECTING, then close(4000) while CONNECTING', async () => {
        const runs = await differential(
          '/invalid-connecting',
          undefined,
          {
            immediate: [{ close: [1001] }, { close: [4000] }],
          },
          { accepted: false, racyServer: true },
        );
        compare(runs, true);
      });
      it('invalid close code once CLOSED (in onclose, server 1000)', async () => {
        const runs = await differential(
          '/invalid-closed',
          { kind: 'close', code: 1000, reason: 'bye' },
          {
            close: [{ close: [1001] }, { close: [4000] }],
          },
        );
        compare(runs, true);
      });
    });
  },
);
