// The only runtime globals @resock/core may touch. Core compiles with `lib: ["ES2022"]` and
// `types: []`, so the page's globals, `Buffer`, `process` or `WebSocket` are compile errors here; every
// runtime we support (browsers, Node ≥ 20, Deno, Bun, React Native) has what is declared below.
// Widening this list is a reviewed change.

declare function setTimeout(callback: () => void, delayMs?: number): unknown;
declare function clearTimeout(handle: unknown): void;

// The monotonic clock, so a wall clock set back holds no deadline (clock.ts); optional, as a
// runtime may lack it.
declare var performance: { now?(): number } | undefined;

// logEvents' default output (only when an app asks for it); every runtime has a console.
declare var console: { log(...data: unknown[]): void; warn(...data: unknown[]): void };

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView): string;
}

// The client's lifecycle (`signal` option, the refresh hook's signal) and the WebSocket-shaped
// facade (an EventTarget dispatching Events) need these; every supported runtime has them.
declare class AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare class Event {
  constructor(type: string, init?: { bubbles?: boolean; cancelable?: boolean });
  readonly type: string;
}
declare class EventTarget {
  addEventListener(
    type: string,
    listener: ((event: Event) => void) | { handleEvent(event: Event): void } | null,
    options?: unknown,
  ): void;
  removeEventListener(
    type: string,
    listener: ((event: Event) => void) | { handleEvent(event: Event): void } | null,
    options?: unknown,
  ): void;
  dispatchEvent(event: Event): boolean;
}

// URL checks (`isSocketUrl`, `requireTls`) read URLs as the WHATWG parser does; where a
// runtime's URL lacks the getters (React Native), they fall back to a regex. The facade's `url`
// is serialized by it, as a WebSocket's is, and its message events carry its `origin`.
declare class URL {
  constructor(url: string, base?: string);
  protocol: string;
  readonly hostname: string;
  readonly href: string;
  readonly origin: string;
}
