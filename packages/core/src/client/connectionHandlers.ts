import type { InboundMessage } from '../events/clientEvents';
import type { RawClose, TransportHandlers } from '../transport';

/** Keyed by a symbol no one else holds: the shell's entry point for transport callbacks. */
export const fromTransport = Symbol();

export type TransportEvent =
  | { readonly type: 'open'; readonly protocol: string; readonly extensions: string; readonly url?: string | undefined }
  | { readonly type: 'close'; readonly raw: RawClose }
  | { readonly type: 'error'; readonly error: unknown }
  | { readonly type: 'pong' };

interface TransportShell {
  [fromTransport](id: number, event: TransportEvent): void;
  arrived(id: number, data: InboundMessage): void;
}

/**
 * One small object per connection instead of five closures (an idle client should cost little
 * more than its socket). It tags every callback with its connection's id, so the shell can
 * ignore a connection it has already let go of. Messages skip the event object: the hot path.
 */
export class ConnectionHandlers implements TransportHandlers {
  readonly #shell: TransportShell;
  readonly #id: number;

  constructor(shell: TransportShell, id: number) {
    this.#shell = shell;
    this.#id = id;
  }
  onOpen(info: { protocol: string; extensions: string; url?: string | undefined }): void {
    const { protocol, extensions, url } = info;
    this.#shell[fromTransport](this.#id, { type: 'open', protocol, extensions, url });
  }
  onMessage(data: InboundMessage): void {
    this.#shell.arrived(this.#id, data);
  }
  onClose(raw: RawClose): void {
    this.#shell[fromTransport](this.#id, { type: 'close', raw });
  }
  onError(error: unknown): void {
    this.#shell[fromTransport](this.#id, { type: 'error', error });
  }
  onPong(): void {
    this.#shell[fromTransport](this.#id, { type: 'pong' });
  }
}
