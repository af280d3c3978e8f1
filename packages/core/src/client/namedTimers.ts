import type { Clock, TimerHandle } from '../clock';

/** At most one pending timer per name: starting a name again replaces it. */
export class NamedTimers<Name extends string> {
  private readonly handles = new Map<Name, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  start(name: Name, delayMs: number, callback: () => void): void {
    this.cancel(name);
    this.handles.set(
      name,
      this.clock.setTimeout(() => {
        this.handles.delete(name);
        callback();
      }, delayMs),
    );
  }

  cancel(name: Name): void {
    const handle = this.handles.get(name);
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.handles.delete(name);
  }

  cancelAll(): void {
    for (const name of [...this.handles.keys()]) this.cancel(name);
  }

  get size(): number {
    return this.handles.size;
  }
}
