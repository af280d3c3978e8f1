import WebSocket from 'ws';
import type { Contender } from '../contenders';
import type { ServerProcess } from '../serverProcess';
import { median, percentile } from '../stats';

export interface ReconnectRow {
  p50: number;
  p10: number;
  p90: number;
  ratio: number;
}

/** One fresh loopback TCP + WebSocket handshake: the floor for any reconnect. */
async function handshakeMs(url: string): Promise<number> {
  const started = performance.now();
  const ws = new WebSocket(url);
  await new Promise((resolve) => ws.once('open', resolve));
  const took = performance.now() - started;
  ws.terminate();
  return took;
}

/**
 * Client-side close → next open at each library's minimum delay, after the server closes with
 * 1012 (`mode` close) or destroys the TCP socket (`mode` destroy, the client sees 1006). Each
 * reconnect is paired with a fresh handshake measured just before it, and the ratio is the
 * median of those pairs: the loopback's speed drifts over a run (0.5–0.8 ms a handshake), and a
 * baseline taken once, apart from the reconnects, moved every ratio with it.
 */
export async function reconnectLatency(
  contenders: readonly Contender[],
  server: ServerProcess,
  options: { trials: number },
) {
  const result: Record<string, Record<string, ReconnectRow>> = {};
  const handshakes: number[] = [];
  for (const mode of ['close 1012', 'destroy'] as const) {
    const rows: Record<string, ReconnectRow> = {};
    for (const contender of contenders) {
      const connection = contender.connect(server.url, { zeroDelay: true, heartbeat: false });
      let closedAt = 0;
      let took = 0;
      let wake: (() => void) | undefined;
      connection.onClose(() => {
        closedAt = performance.now();
      });
      connection.onOpen(() => {
        if (closedAt) took = performance.now() - closedAt;
        wake?.();
      });
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      const samples: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < options.trials; i++) {
        const handshake = await handshakeMs(server.url);
        handshakes.push(handshake);
        const reopened = new Promise<void>((resolve) => {
          wake = resolve;
        });
        await server.command(mode === 'destroy' ? 'destroy' : 'close 1012');
        await reopened;
        samples.push(took);
        ratios.push(took / handshake);
      }
      await connection.close();
      rows[contender.name] = {
        p50: median(samples),
        p10: percentile(samples, 10),
        p90: percentile(samples, 90),
        ratio: median(ratios),
      };
    }
    result[mode] = rows;
  }
  return { handshakeMs: median(handshakes), byMode: result };
}
