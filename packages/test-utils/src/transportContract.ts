import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, type ScenarioServer, startScenarioServer } from './scenarioServer';

/** One thing the client side does, in order. Binary data travels as byte arrays (JSON-safe). */
export type ClientStep =
  | { do: 'waitOpen' }
  | { do: 'send'; text: string }
  | { do: 'sendBytes'; bytes: number[] }
  /** The bytes in the middle of a SharedArrayBuffer (a view with an offset, as a worker pool hands out). */
  | { do: 'sendSharedBytes'; bytes: number[] }
  /** A Blob of these bytes (as the app hands one to `send`). */
  | { do: 'sendBlob'; bytes: number[] }
  | { do: 'waitMessages'; count: number }
  | { do: 'close'; code?: number; reason?: string }
  | { do: 'terminate' }
  | { do: 'ping' }
  | { do: 'waitPong' };

/** What the transport's handlers saw. JSON-safe, so a driver can run in a browser page. */
export interface Observation {
  opened: { protocol: string } | null;
  messages: Array<{ text: string } | { bytes: number[] }>;
  close: { code: number; reason: string; wasClean: boolean; status?: number; retryAfter?: string } | null;
  pongs: number;
  errors: number;
}

/**
 * Runs a transport against a URL: connect, perform the steps, wait (at most `waitMs`) for the
 * close, report what the handlers saw. Node drivers run in-process; the browser's runs in a page.
 */
export interface ContractDriver {
  readonly name: string;
  /** Can this platform see the HTTP status of a rejected handshake? (only `ws` can) */
  readonly seesHandshakeStatus: boolean;
  readonly canPing: boolean;
  readonly canTerminate: boolean;
  run(url: string, protocols: string[], steps: ClientStep[], waitMs: number): Promise<Observation>;
}

/** The one behaviour suite every transport passes, each against a real `ws` server on port 0. */
export function defineTransportContract(driver: ContractDriver): void {
  describe(`transport contract: ${driver.name}`, () => {
    let server: ScenarioServer;
    beforeAll(async () => {
      server = await startScenarioServer();
    });
    afterAll(() => server.stop());

    const run = (scenario: Scenario, steps: ClientStep[], protocols: string[] = [], waitMs = 3000) => {
      server.plan(scenario);
      return driver.run(`${server.url}/contract`, protocols, steps, waitMs);
    };

    it('opens and reports the protocol the server chose', async () => {
      const seen = await run({ kind: 'echo' }, [{ do: 'waitOpen' }, { do: 'close', code: 1000 }], ['v2', 'v1']);
      expect(seen.opened).toEqual({ protocol: 'v2' });
    });

    it('sends and receives text, UTF-8 intact', async () => {
      const seen = await run({ kind: 'echo' }, [
        { do: 'waitOpen' },
        { do: 'send', text: 'héllo 😀' },
        { do: 'waitMessages', count: 1 },
        { do: 'close', code: 1000 },
      ]);
      expect(seen.messages).toEqual([{ text: 'héllo 😀' }]);
    });

    it('sends and receives binary', async () => {
      const seen = await run({ kind: 'echo' }, [
        { do: 'waitOpen' },
        { do: 'sendBytes', bytes: [0, 1, 254, 255] },
        { do: 'waitMessages', count: 1 },
        { do: 'close', code: 1000 },
      ]);
      expect(seen.messages).toEqual([{ bytes: [0, 1, 254, 255] }]);
    });

    it('sends a view on a SharedArrayBuffer as its bytes', async () => {
      const seen = await run({ kind: 'echo' }, [
        { do: 'waitOpen' },
        { do: 'sendSharedBytes', bytes: [7, 0, 255] },
        { do: 'waitMessages', count: 1 },
        { do: 'close', code: 1000 },
      ]);
      expect(seen.messages).toEqual([{ bytes: [7, 0, 255] }]);
    });

    it('sends a Blob as its bytes, in order with what is sent after it (the socket reads it itself)', async () => {
      // Large enough that reading it takes longer than framing the text sent after it.
      const big = Array.from({ length: 64 * 1024 }, (_, i) => (i * 7) % 256);
      const seen = await run({ kind: 'echo' }, [
        { do: 'waitOpen' },
        { do: 'sendBlob', bytes: big },
        { do: 'send', text: 'after the blob' },
        { do: 'sendBlob', bytes: [1, 2, 3] },
        { do: 'waitMessages', count: 3 },
        { do: 'close', code: 1000 },
      ]);
      expect(seen.messages.map((m) => ('text' in m ? m.text : m.bytes.length))).toEqual([
        big.length,
        'after the blob',
        3,
      ]);
      expect(seen.messages[0]).toEqual({ bytes: big });
      expect(seen.messages[2]).toEqual({ bytes: [1, 2, 3] });
    });

    it('reports a server close with its code and UTF-8 reason, clean', async () => {
      const seen = await run({ kind: 'close', code: 4001, reason: 'token expired: é' }, [{ do: 'waitOpen' }]);
      expect(seen.close).toMatchObject({ code: 4001, reason: 'token expired: é', wasClean: true });
    });

    it('reports an empty close frame as 1005', async () => {
      const seen = await run({ kind: 'close' }, [{ do: 'waitOpen' }]);
      expect(seen.close).toMatchObject({ code: 1005, reason: '', wasClean: true });
    });

    it('reports a server that drops the connection without a close frame as 1006, not clean', async () => {
      const seen = await run({ kind: 'terminate', afterMs: 20 }, [{ do: 'waitOpen' }]);
      expect(seen.close).toMatchObject({ code: 1006, wasClean: false });
    });

    it('reports a destroyed TCP socket as 1006, not clean', async () => {
      const seen = await run({ kind: 'destroy', afterMs: 20 }, [{ do: 'waitOpen' }]);
      expect(seen.close).toMatchObject({ code: 1006, wasClean: false });
    });

    it('reports a rejected handshake as 1006 before open, with the status where the platform sees it', async () => {
      const seen = await run({ kind: 'reject', status: 429, headers: { 'Retry-After': '7' } }, []);
      expect(seen.opened).toBeNull();
      expect(seen.close).toMatchObject({ code: 1006, wasClean: false });
      if (driver.seesHandshakeStatus) expect(seen.close).toMatchObject({ status: 429, retryAfter: '7' });
      else expect(seen.close?.status).toBeUndefined();
    });

    it('reports a refused connection as 1006 before open', async () => {
      const seen = await driver.run('ws://127.0.0.1:9/refused', [], [], 3000);
      expect(seen.opened).toBeNull();
      expect(seen.close).toMatchObject({ code: 1006, wasClean: false });
    });

    it('closes politely: the server sees the code and reason, the client a clean close', async () => {
      const before = server.clientCloses.length;
      const seen = await run({ kind: 'echo' }, [
        { do: 'waitOpen' },
        { do: 'close', code: 4000, reason: 'switching user' },
      ]);
      await server.waitForClientClose(before + 1);
      expect(server.clientCloses.at(-1)).toMatchObject({ code: 4000, reason: 'switching user' });
      expect(seen.close).toMatchObject({ code: 4000, wasClean: true });
    });

    it('closes without a status when given no code: 1005 on both sides, as WebSocket.close()', async () => {
      const before = server.clientCloses.length;
      const seen = await run({ kind: 'echo' }, [{ do: 'waitOpen' }, { do: 'close' }]);
      await server.waitForClientClose(before + 1);
      expect(server.clientCloses.at(-1)).toMatchObject({ code: 1005, reason: '' });
      expect(seen.close).toMatchObject({ code: 1005, reason: '', wasClean: true });
    });

    it('does not open against a server that never answers the upgrade', async () => {
      const seen = await run({ kind: 'hang' }, [], [], 300);
      expect(seen.opened).toBeNull();
    });

    // Capabilities a platform lacks (WHATWG sockets: no terminate, no ping) get no case at all:
    // core's deadlines and app-level heartbeats cover them, tested in core.
    if (driver.canTerminate) {
      it('terminate() ends the connection at once, unclean', async () => {
        const seen = await run({ kind: 'silent' }, [{ do: 'waitOpen' }, { do: 'terminate' }], [], 1000);
        expect(seen.close).toMatchObject({ code: 1006, wasClean: false });
      });
    }

    if (driver.canPing) {
      it('a protocol ping gets a pong from any standard server', async () => {
        const steps: ClientStep[] = [
          { do: 'waitOpen' },
          { do: 'ping' },
          { do: 'waitPong' },
          { do: 'close', code: 1000 },
        ];
        const seen = await run({ kind: 'echo' }, steps);
        expect(seen.pongs).toBe(1);
      });
    }
  });
}
