import type { FailedEvent, ReconnectingEvent } from '../events/clientEvents';
import type { Emitted } from './machineTypes';

/**
 * The reducer's decisions as the app hears them: what a `reconnecting` and a `failed` event
 * carry. Pure, apart from the shell's own bookkeeping around them (ShellState.emit).
 */
export function reconnectingEvent({
  decision,
  record,
  attempt,
}: Extract<Emitted, { name: 'reconnecting' }>): ReconnectingEvent {
  return {
    attempt,
    delayMs: decision.delayMs,
    action: decision.action === 'stop' ? 'retry' : decision.action,
    rule: decision.rule,
    record,
    decision,
  };
}

export function failedEvent(event: Extract<Emitted, { name: 'failed' }>): FailedEvent {
  return {
    reason: event.decision.stopReason ?? 'rule',
    record: event.record,
    decision: event.decision,
    ...('refreshError' in event ? { refreshError: event.refreshError } : {}),
  };
}
