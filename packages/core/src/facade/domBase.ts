/**
 * `EventTarget` and `Event` as the facade's base classes where the platform has them. Where it
 * has not (React Native, Hermes), loading core must not fail for their want: a transport of the
 * app's own runs the typed client there, and only constructing the facade needs them, which then
 * says so.
 */
const missingText = (name: string) =>
  `${name} is not defined here: ReconnectingWebSocket needs it (createClient does not)`;

function missing(name: string): never {
  const Missing = class {
    constructor() {
      throw new TypeError(missingText(name));
    }
  };
  return Missing as never;
}

// typeof: reading a global that is not declared at all would throw.
export const EventTargetBase: typeof EventTarget =
  typeof EventTarget === 'function' ? EventTarget : missing('EventTarget');
export const EventBase: typeof Event = typeof Event === 'function' ? Event : missing('Event');

/** Checked when the facade is constructed: without Event, its first event would fail instead (a polyfilled EventTarget alone). */
export function assertEvents(): void {
  if (typeof Event !== 'function') throw new TypeError(missingText('Event'));
}
