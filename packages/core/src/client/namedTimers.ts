import type { Clock, TimerHandle } from '../clock';

/** At most one pending timer per name: starting a name again replaces it. */
export class NamedTimers<Name extends string> {
  // A plain object, not a Map: four names at most, and one small object per client.
  readonly #handles: Partial<Record<Name, TimerHandle>> = {};

  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * With `graceMs`, a timer that fires more than `graceMs` late (a throttled or frozen tab) is
   * re-armed once for `graceMs` instead of firing: whatever happened meanwhile is handled first.
   */
  setTimer(name: Name, delayMs: number, callback: () => void, graceMs?: number): void {
    this.cancel(name);
    const dueAt = this.#clock.now() + delayMs;
    this.#handles[name] = this.#clock.setTimeout(() => {
      this.#handles[name] = undefined;
      if (graceMs !== undefined && this.#clock.now() - dueAt > graceMs) this.setTimer(name, graceMs, callback);
      else callback();
    }, delayMs);
  }

  cancel(name: Name): void {
    const handle = this.#handles[name];
    if (handle === undefined) return;
    this.#clock.clearTimeout(handle);
    this.#handles[name] = undefined;
  }

  cancelAll(): void {
    for (const name of Object.keys(this.#handles) as Name[]) this.cancel(name);
  }
}
