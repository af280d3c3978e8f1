/** Where an instance keeps its handlers (made with the first one set). */
const entries = Symbol('resock.eventHandlers');

interface Entry {
  handler: (this: EventTarget, event: Event) => unknown;
  /** Registered where the handler was first set: it calls whichever handler is set now. */
  listener: (event: Event) => void;
}

type Owner = EventTarget & { [entries]?: Record<string, Entry> };

/**
 * A WebSocket's event handler attributes (`onopen`, …) as accessors on `prototype`. As natively,
 * a handler runs among the listeners at the place it was first set (not after all of them),
 * anything not a function is null, and null takes it out.
 */
export function defineEventHandlers(prototype: EventTarget, types: readonly string[]): void {
  for (const type of types)
    Object.defineProperty(prototype, `on${type}`, {
      get(this: Owner) {
        return this[entries]?.[type]?.handler ?? null;
      },
      set(this: Owner, value: unknown) {
        setHandler(this, type, value);
      },
      configurable: true,
      enumerable: true,
    });
}

function setHandler(owner: Owner, type: string, value: unknown): void {
  const handler = typeof value === 'function' ? (value as Entry['handler']) : null;
  const handlers = owner[entries] ?? {};
  owner[entries] = handlers;
  const current = handlers[type];
  if (!handler) {
    if (current) owner.removeEventListener(type, current.listener);
    delete handlers[type];
  } else if (current) {
    current.handler = handler;
  } else {
    const entry: Entry = { handler, listener: (event) => entry.handler.call(owner, event) };
    handlers[type] = entry;
    owner.addEventListener(type, entry.listener);
  }
}
