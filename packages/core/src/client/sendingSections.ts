/**
 * The base of the client's class chain (below `ShellState`): sending sections. What a transport
 * reports from inside a write, and what the app is told of meanwhile, waits until the write and
 * its bookkeeping are done. Its fields live at the base so they exist before anything runs, even
 * a transport calling back from inside the first connect().
 */
export abstract class SendingSections {
  /** Sending sections under way (see sending()). */
  #sending = 0;
  /** The callbacks held meanwhile, in the order made; set until they are all replayed. */
  #held: Array<() => unknown> | undefined;
  #replaying = false;

  /** A section is under way, or what one held is being replayed: a new callback waits its turn. */
  protected holding(): boolean {
    return this.#sending > 0 || this.#held !== undefined;
  }

  protected hold(callback: () => unknown): void {
    if (this.#held) this.#held.push(callback);
    else this.#held = [callback];
  }

  /** Tells the app now, or, inside a sending section, once it ends (in the order asked). */
  protected tell(callback: () => void): void {
    if (this.#sending) this.hold(callback);
    else callback();
  }

  /**
   * Runs `send` (writes, and the queue's bookkeeping around them) with what a transport reports
   * from inside a write — a loopback's reply, a drop it noticed — held until it is done: a
   * listener that sends again then finds every message written or in its place, never one
   * half-way (written, not yet taken off the queue), and sends behind what was sent before it.
   */
  protected sending<T>(send: () => T): T {
    this.#sending++;
    try {
      return send();
    } finally {
      if (--this.#sending === 0 && this.#held && !this.#replaying) this.replay(this.#held);
    }
  }

  /**
   * In the order they were made, one list to the end: what arrives meanwhile (a reply to a send
   * a replayed listener made) joins the end of it, never overtakes what waits.
   */
  private replay(held: Array<() => unknown>): void {
    this.#replaying = true;
    try {
      for (let i = 0; i < held.length; i++) held[i]?.();
    } finally {
      this.#held = undefined;
      this.#replaying = false;
    }
  }
}
