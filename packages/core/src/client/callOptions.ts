import { InvalidOptionsError, type Problem } from '../errors';
import { type Check, errorText, isRecord } from '../inputChecks';

/**
 * The options object of one call (`send`, `on`), checked at the call. Each known field is read
 * once, also from a prototype (a class's getters), so what is checked is what is used (a getter
 * cannot change it after); any other own key is refused. `problems` may hold the call's other
 * problems already: one `InvalidOptionsError` names them all, each at `call.field`.
 */
export function readCallOptions<T>(
  options: unknown,
  call: string,
  known: readonly string[],
  check: Check,
  problems: Problem[] = [],
): T | undefined {
  let read: unknown = options;
  if (isRecord(options)) {
    const fields: Record<string, unknown> = {};
    for (const key of new Set([...known, ...Object.keys(options)])) {
      try {
        const value = options[key];
        if (value !== undefined) fields[key] = value;
      } catch (error) {
        problems.push({ path: `${call}.${key}`, message: `could not be read (${errorText(error)})` });
      }
    }
    read = fields;
  }
  if ((options !== undefined && !check(read, call, problems)) || problems.length)
    throw new InvalidOptionsError(problems);
  return read as T | undefined;
}
