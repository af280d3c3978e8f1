import { MAX_TIMER_DELAY_MS } from '../clock';
import { abortSignal, boolean, number, shape } from '../inputChecks';
import { readCallOptions } from './callOptions';

/** What one `send` asks beyond the client's defaults. */
export interface SendOptions {
  /**
   * Now or never: written if the connection can take it at once (open, and nothing sent
   * earlier still waits), else dropped (`'volatile'`); never queued, never tracked by `reliable`.
   * For state that the next message supersedes (a cursor, a typing flag).
   */
  readonly volatile?: boolean | undefined;
  /**
   * How long, from this call, the message may wait: queued, or (under `reliable`) not yet
   * acknowledged. Past it, it is taken out and dropped (`'expired'`): never written (or
   * written again) late. Up to 2³¹−1 ms.
   */
  readonly ttlMs?: number | undefined;
  /**
   * Aborting it takes the message out while it waits (dropped, `'aborted'`); a signal already
   * aborted drops it at once. Once it is out (or acknowledged) the signal is let go of.
   */
  readonly signal?: AbortSignal | undefined;
}

const sendOptionsCheck = shape({
  volatile: boolean,
  ttlMs: number(0, MAX_TIMER_DELAY_MS, { tooBig: 'expected at most 2147483647 ms (about 24.8 days)' }),
  signal: abortSignal,
});

/** The options of one `send`, checked at the call: `InvalidOptionsError` names each problem. */
export const checkSendOptions = (options: unknown): SendOptions | undefined =>
  // The hot path (no options) allocates nothing.
  options === undefined ? undefined : readCallOptions(options, 'send', sendOptionKeys, sendOptionsCheck);

const sendOptionKeys = ['volatile', 'ttlMs', 'signal'];
