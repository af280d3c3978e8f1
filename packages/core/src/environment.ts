/**
 * What the client may know about where it runs, beyond the network: a page's online state,
 * visibility and lifecycle. `@resock/browser` passes the page's; Node and Web Workers pass none
 * (always online and visible); tests pass a fake.
 */
export interface ClientEnvironment {
  /**
   * False while the device is offline: attempts wait for `online` instead of failing (not those
   * to a server on this machine — localhost, 127.0.0.0/8, [::1] — which answers regardless).
   */
  online(): boolean;
  /** False while the page is hidden. */
  visible(): boolean;
  /** Calls `listener` on each change; returns the function that stops it. */
  subscribe(listener: (change: EnvironmentChange) => void): () => void;
}

/**
 * `pagehide`: the page is being put away (navigation, bfcache); `pageshow`: it came back from the
 * bfcache (only restored pages report it).
 */
export type EnvironmentChange = 'online' | 'offline' | 'visible' | 'hidden' | 'pagehide' | 'pageshow';
