// The only runtime globals @resock/core may touch. Core compiles with `lib: ["ES2022"]` and
// `types: []`, so `window`, `Buffer`, `process` or `WebSocket` are compile errors here; every
// runtime we support (browsers, Node ≥ 20, Deno, Bun, React Native) has what is declared below.
// Widening this list is a reviewed change.

declare function setTimeout(callback: () => void, delayMs?: number): unknown;
declare function clearTimeout(handle: unknown): void;

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView): string;
}
