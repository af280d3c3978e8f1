import type { Problem } from '../errors';
import type { ClientEvents } from '../events/clientEvents';
import { abortSignal, oneOf, shape } from '../inputChecks';
import { readCallOptions } from './callOptions';

/** What one `on` or `once` asks beyond the listener. */
export interface ListenerOptions {
  /**
   * Aborting it takes the registration back, as `addEventListener`'s `signal` does; one already
   * aborted registers nothing. The unsubscribe function (or a once-listener firing) lets go of it.
   */
  readonly signal?: AbortSignal | undefined;
}

// Every event by name, kept complete by the type: a misspelt event is refused at the call
// (in plain JavaScript it would otherwise never fire, silently).
const events = Object.keys({
  open: 0,
  message: 0,
  close: 0,
  reconnecting: 0,
  failed: 0,
  state: 0,
  error: 0,
  dropped: 0,
  invalidMessage: 0,
  acked: 0,
} satisfies Record<keyof ClientEvents, 0>);

const isEvent = oneOf(events);
const listenerOptionsCheck = shape({ signal: abortSignal });

/** The `{ signal }` of a call that takes only that (`opened`), checked at the call. */
export const signalOption = (call: string, options: unknown): AbortSignal | undefined =>
  readCallOptions<ListenerOptions>(options, call, ['signal'], listenerOptionsCheck)?.signal;

/** `on`/`once`'s arguments, checked at the call (`InvalidOptionsError`); returns the signal, if any. */
export function checkListener(
  call: string,
  event: unknown,
  listener: unknown,
  options: unknown,
): AbortSignal | undefined {
  const problems: Problem[] = [];
  isEvent(event, `${call}.event`, problems);
  if (typeof listener !== 'function') problems.push({ path: `${call}.listener`, message: 'expected a function' });
  return readCallOptions<ListenerOptions>(options, call, ['signal'], listenerOptionsCheck, problems)?.signal;
}
