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
   * written again) late. Up to 2³¹−1 ms; `Infinity`: no limit, whatever `queue.ttlMs` says.
   * @default `queue.ttlMs` (none)
   */
  readonly ttlMs?: number | undefined;
  /**
   * Aborting it takes the message out while it waits (dropped, `'aborted'`); a signal already
   * aborted drops it at once. Once it is out (or acknowledged) the signal is let go of.
   */
  readonly signal?: AbortSignal | undefined;
}

/** A `ttlMs` (a send's, `queue.ttlMs`): a timer's delay. */
export const ttlCheck = number(0, MAX_TIMER_DELAY_MS, { tooBig: 'expected at most 2147483647 ms (about 24.8 days)' });

const sendOptionsCheck = shape({
  volatile: boolean,
  // Infinity: this message waits without a limit, where `queue.ttlMs` sets one.
  ttlMs: (value, path, problems) => value === Infinity || ttlCheck(value, path, problems),
  signal: abortSignal,
});

/** The options of one `send`, checked at the call: `InvalidOptionsError` names each problem. */
export const checkSendOptions = (options: unknown): SendOptions | undefined =>
  // The hot path (no options) allocates nothing.
  options === undefined ? undefined : readCallOptions(options, 'send', sendOptionKeys, sendOptionsCheck);

const sendOptionKeys = ['volatile', 'ttlMs', 'signal'];
