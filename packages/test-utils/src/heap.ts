import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Without --expose-gc on the command line: the flag set at run time makes `gc` available to a
// new context, so leak checks run under plain `vitest` and `tsx`.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** `heapUsed` after two full collections (the second sweeps what the first one's finalizers freed). */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
