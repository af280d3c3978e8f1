/**
 * One abort listener on a signal, however many of resock's clients, waits and registrations
 * share it. Node warns of a leak past ten listeners on one signal (MaxListenersExceededWarning),
 * and a worker's feeds sharing one shutdown signal, or a component's listeners sharing one
 * controller, are that many. Callbacks run in the order they were added; one taken back before
 * its turn does not run.
 */
const watched = new WeakMap<AbortSignal, { readonly calls: Set<() => void>; readonly fire: () => void }>();

/** Calls `callback` once `signal` aborts; the function returned takes it back (once is enough). */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let watch = watched.get(signal);
  if (!watch) {
    const calls = new Set<() => void>();
    const fire = () => {
      watched.delete(signal);
      for (const call of calls) {
        calls.delete(call);
        call();
      }
    };
    // First: a signal whose addEventListener throws leaves nothing behind.
    signal.addEventListener('abort', fire, { once: true });
    watch = { calls, fire };
    watched.set(signal, watch);
  }
  // A function of its own: the same callback added twice is two registrations.
  const call = () => callback();
  const { calls, fire } = watch;
  calls.add(call);
  return () => {
    if (!calls.delete(call) || calls.size > 0 || watched.get(signal)?.calls !== calls) return;
    watched.delete(signal);
    signal.removeEventListener('abort', fire);
  };
}
