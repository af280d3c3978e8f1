import type { ClientEnvironment, EnvironmentChange } from '../environment';

/** A page environment the test drives: go offline, hide the page, put it in the bfcache. */
export interface FakeEnvironment extends ClientEnvironment {
  /** Changes the state (for online/offline/visible/hidden) and tells the subscribers. */
  emit(change: EnvironmentChange): void;
  /** How many subscribers are attached (a closed client must leave none). */
  readonly listeners: number;
}

export function createFakeEnvironment(initial: { online?: boolean; visible?: boolean } = {}): FakeEnvironment {
  let online = initial.online ?? true;
  let visible = initial.visible ?? true;
  const listeners = new Set<(change: EnvironmentChange) => void>();
  return {
    online: () => online,
    visible: () => visible,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(change) {
      if (change === 'online' || change === 'offline') online = change === 'online';
      if (change === 'visible' || change === 'hidden') visible = change === 'visible';
      for (const listener of [...listeners]) listener(change);
    },
    get listeners() {
      return listeners.size;
    },
  };
}
