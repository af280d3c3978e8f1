import { readFileSync } from 'node:fs';
import type { DecideContext, PolicyInput } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { decideWith, delays, record } from './decideHelpers';

/**
 * The named presets against the servers and client libraries they are named after: each test
 * holds a row to what their published source or docs say, cited beside it.
 */

/** Decides `n` closes in a row (each feeding the previous decision's streak), stopping at a stop. */
function streak(
  closeRecord: ReturnType<typeof record>,
  n: number,
  policy: PolicyInput,
  context: Partial<DecideContext> = {},
) {
  const actions: string[] = [];
  let consecutive: DecideContext['consecutive'];
  for (let attempt = 1; attempt <= n; attempt++) {
    const decision = decideWith(closeRecord, { attempt, ...(consecutive ? { consecutive } : {}), ...context }, policy);
    actions.push(decision.action);
    if (decision.action === 'stop') break;
    consecutive = { rule: decision.rule, count: decision.consecutive };
  }
  return actions;
}

describe('centrifugo preset vs Centrifugo / centrifuge-js', () => {
  const policy = { preset: 'centrifugo' } as const;

  // centrifugal/centrifuge disconnect.go `isReconnect`: `Code < 3500 || Code >= 5000 || (4000 ≤ Code < 4500)`
  // reconnects. centrifugal/centrifuge-js#401 (also centrifuge-dart#129, centrifuge-go#141): after 3014 a
  // client without getToken must reconnect with the token it has; stopping made "a recoverable signal a
  // terminal failure".
  it('3014 (state invalidated) without a refresh hook reconnects instead of failing', () => {
    expect(decideWith(record(3014), { refreshAvailable: false }, policy).action).not.toBe('stop');
  });

  it('3014 is in the reconnect band 3000–3499: a third 3014 in a row still reconnects', () => {
    expect(streak(record(3014), 5, policy)).not.toContain('stop');
  });
});

describe('graphqlWs preset vs graphql-ws client (src/client.ts)', () => {
  const policy = { preset: 'graphqlWs' } as const;

  // shouldRetryConnectOrThrow: `if (isLikeCloseEvent(e) && e.code === 1000) return locks > 0;` — while any
  // operation holds the socket (always, with lazy: false) a server 1000 reconnects at once, uncounted.
  it('a server 1000 on a held connection reconnects, as graphql-ws does while operations are active', () => {
    expect(decideWith(record(1000), {}, policy).action).toBe('retry');
  });

  // 4403 is what a graphql-ws server sends when onConnect returns false (src/server.ts). The client
  // retries it ("might grant access after retry") but only up to retryAttempts (default 5), calling
  // connectionParams() again each time (resock's url and protocols functions are called again too).
  it('4403 Forbidden is not retried forever: it stops within graphql-ws’s 5 retries', () => {
    expect(streak(record(4403), 6, policy)).toContain('stop');
  });
});

describe('httpMirror preset vs the servers it is documented for', () => {
  const policy = { preset: 'httpMirror' } as const;

  // ueberdosis/hocuspocus packages/provider/src/HocuspocusProviderWebsocket.ts onClose: on Forbidden
  // (4403) "The provided authentication token isn’t allowed to connect to this server. Will try again."
  // graphql-ws also retries 4403. RFC 9110 §15.5.4: a client MAY repeat a 403 with new credentials.
  it('4403 with a refresh hook is not final at its first occurrence', () => {
    expect(decideWith(record(4403), {}, policy).action).not.toBe('stop');
  });

  // graphql-ws's 44xx/45xx are not HTTP semantics: 4429 = TooManyInitialisationRequests (a client bug,
  // fatal in graphql-ws) and 4500 is fatal there, where httpMirror throttles or retries both.
  it('docs do not recommend httpMirror for graphql-ws servers (graphqlWs exists for them)', () => {
    const doc = readFileSync(new URL('../../../../docs/close-codes.md', import.meta.url), 'utf8');
    const row = doc.split('\n').find((line) => line.startsWith('| `httpMirror`')) ?? '';
    expect(row).not.toBe('');
    expect(row.split('|')[2]).not.toMatch(/graphql-ws/);
  });
});

describe('default preset vs the 1012 registration', () => {
  // hybi msg09670 (IANA 1012): "a client may reconnect, and if it chooses to do, should reconnect using a
  // randomized delay of 5 - 30s." A server that says 1012 again right after the reconnect is restarting
  // again; the back-off at attempt 2 (0–2 s) brings the fleet back in lockstep.
  it('a 1012 right after a 1012 still waits at least 5 s', () => {
    const again = delays(record(1012), {
      attempt: 2,
      consecutive: { rule: 'default:service-restart', count: 1 },
    });
    expect(Math.min(...again)).toBeGreaterThanOrEqual(5000);
  });
});
