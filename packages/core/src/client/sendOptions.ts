import { MAX_TIMER_DELAY_MS } from '../clock';
import { InvalidOptionsError, type Problem } from '../errors';
import { abortSignal, boolean, errorText, isRecord, number, shape } from '../inputChecks';

/** What one `send` asks beyond the client's defaults. */
export interface SendOptions {
  /**
   * Now or never: written if the connection can take it at once (open, and nothing sent
   * earlier still waits), else dropped (`'volatile'`); never queued, never tracked by `reliable`.
   * For state that the next message supersedes (a cursor, a typing flag).
   */
  readonly volatile?: boolean;
  /**
   * How long, from this call, the message may wait: queued, or (under `reliable`) not yet
   * acknowledged. Past it, it is taken out and dropped (`'expired'`): never written (or
   * written again) late. Up to 2³¹−1 ms.
   */
  readonly ttlMs?: number;
  /**
   * Aborting it takes the message out while it waits (dropped, `'aborted'`); a signal already
   * aborted drops it at once. Once it is out (or acknowledged) the signal is let go of.
   */
  readonly signal?: AbortSignal;
}

const sendOptionsCheck = shape({
  volatile: boolean,
  ttlMs: number(0, MAX_TIMER_DELAY_MS, { tooBig: 'expected at most 2147483647 ms (about 24.8 days)' }),
  signal: abortSignal,
});

/** The options of one `send`, checked at the call: `InvalidOptionsError` names each problem. */
export function checkSendOptions(options: unknown): SendOptions | undefined {
  if (options === undefined) return undefined;
  const problems: Problem[] = [];
  let read: unknown = options;
  if (isRecord(options)) {
    // Each field read once, so what is checked is what is used (a getter cannot change it after);
    // the known ones also from a prototype (a class's getters), any other own key to be refused.
    const fields: Record<string, unknown> = {};
    for (const key of new Set(['volatile', 'ttlMs', 'signal', ...Object.keys(options)])) {
      try {
        const value = options[key];
        if (value !== undefined) fields[key] = value;
      } catch (error) {
        problems.push({ path: `send.${key}`, message: `could not be read (${errorText(error)})` });
      }
    }
    read = fields;
  }
  if (!sendOptionsCheck(read, 'send', problems) || problems.length) throw new InvalidOptionsError(problems);
  return read as SendOptions;
}
