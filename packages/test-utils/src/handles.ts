import { createHook } from 'node:async_hooks';

export interface HandleCounts {
  TCPSocketWrap: number;
  TCPServerWrap: number;
  Timeout: number;
}

// async_hooks' names for what keeps a process alive and a leak leaves behind.
const watched: Record<string, keyof HandleCounts> = {
  TCPWRAP: 'TCPSocketWrap',
  TCPSERVERWRAP: 'TCPServerWrap',
  Timeout: 'Timeout',
};

export interface HandleWatch {
  /** The watched resources made since `watchHandles()` that still keep the process alive. */
  alive(): HandleCounts;
  stop(): void;
}

/**
 * Counts only what is made from now on, unlike a before/after count of the process's active
 * resources: the test runner's own timers (vitest's 100 ms task-update timer, pending when a
 * test starts and gone 100 ms later) made that comparison fail whenever a test ran past its
 * firing. What does not keep the process alive (an unref'd timer) is not counted.
 */
export function watchHandles(): HandleWatch {
  const live = new Map<number, { kind: keyof HandleCounts; resource: { hasRef?: () => boolean } }>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      const kind = watched[type];
      if (kind) live.set(id, { kind, resource: resource as { hasRef?: () => boolean } });
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    alive() {
      const counts: HandleCounts = { TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 };
      for (const { kind, resource } of live.values()) if (resource.hasRef?.() ?? true) counts[kind]++;
      return counts;
    },
    stop: () => hook.disable(),
  };
}
