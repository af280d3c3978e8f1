import { ClientRuntimeError } from '../errors';
import type { InboundMessage } from '../events/clientEvents';
import { inboundSize } from './inbound';
import type { Input } from './machineTypes';
import { OutboundShell } from './outboundShell';
import type { OutboundMessage } from './queue';

type Opened = Extract<Input, { type: 'opened' }>;

/**
 * Past this many messages before the server accepts the greeting, it is not going to: a flood
 * would otherwise be held in memory until the connect deadline (the queue's default limit).
 */
export const MAX_BEFORE_ACCEPTED = 1000;
/**
 * Nor past this many bytes (where reading pauses for an async schema's backlog): 999 messages of
 * a MiB each were held until the deadline — a GB, from a MB on the wire with permessage-deflate.
 */
const MAX_BYTES_BEFORE_ACCEPTED = 16 * 2 ** 20;

/**
 * The `greeting` option: what a connection says first, before the queue is flushed, and the
 * wait for the server to accept it. The reducer keeps the connection `connecting` (its connect
 * deadline runs on) and asks for the greeting (`greet`); the open is dispatched again, `greeted`,
 * once it is said and accepted.
 */
export abstract class GreetingShell<TMessage> extends OutboundShell<TMessage> {
  /** The open of a connection whose greeting is being written or awaits the acceptance. */
  declare private greetingWait: { opened: Opened; accepted: boolean; writing: boolean; held: number } | undefined;
  /** A connection the app closed while its greeting awaited the acceptance: it never opened, so nothing it sends is heard. */
  declare protected unopened: number | undefined;

  /** The socket opened (the reducer's `greet`): say the greeting, then tell the open (now, or on the acceptance). */
  protected greet(opened: Opened): void {
    const { greeting } = this.resolvedOptions;
    const { id } = opened;
    if (!greeting || id !== this.connectionId) return;
    let messages: readonly OutboundMessage[];
    try {
      messages = this.greetingMessages();
    } catch (error) {
      // The app's greeting builder is broken: this attempt cannot start, the policy decides.
      this.emitter.emit('error', new ClientRuntimeError('greeting', 'greeting.message failed', error));
      this.failGreeting(id, error);
      return;
    }
    const waiting = { opened, accepted: greeting.isAccepted === undefined, writing: true, held: 0 };
    this.greetingWait = waiting;
    // A server that speaks first (its "ready") may have accepted already.
    for (const data of this.beforeOpen ?? [])
      if (!waiting.accepted && this.acceptsGreeting(data)) waiting.accepted = true;
    // Dispatches from inside a write (a close the transport reports) wait in the mailbox: this
    // runs as one of the reducer's effects.
    // Refused, or let go meanwhile: the socket is closing; its close (or the connect deadline)
    // ends the attempt.
    for (const data of messages)
      if (id !== this.connectionId || !this.writeOut(data)) {
        if (this.greetingWait === waiting) this.greetingWait = undefined;
        return;
      }
    waiting.writing = false;
    // The acceptance came inside a write (a loopback answers at once): told now, after it.
    if (waiting.accepted && this.greetingWait === waiting) this.told(waiting);
  }

  /** The greeting's messages, checked as send() checks a message (a function's result each time). */
  private greetingMessages(): readonly OutboundMessage[] {
    const { message } = this.resolvedOptions.greeting ?? {};
    if (message === undefined) return []; // isAccepted alone: a server that speaks first
    const given = typeof message === 'function' ? message() : message;
    const list: readonly unknown[] = Array.isArray(given) ? given : [given];
    // No token yet, say: what is queued must not go out unannounced.
    if (list.length === 0) throw new TypeError('greeting.message gave no message');
    for (const data of list) this.assertMessage(data);
    return list as readonly OutboundMessage[];
  }

  /** A message on a connection still connecting (`count` so far): the acceptance tells the open. */
  protected greeted(id: number, data: InboundMessage, count: number): void {
    const waiting = this.greetingWait;
    if (!waiting || waiting.opened.id !== id || waiting.accepted) return;
    const accepted = this.acceptsGreeting(data);
    // isAccepted is the app's code: it may have let this connection go (reconnect()) meanwhile.
    if (this.greetingWait !== waiting || id !== this.connectionId) return;
    waiting.held += inboundSize(data);
    if (accepted) {
      waiting.accepted = true;
      if (!waiting.writing) this.told(waiting);
    } else if (count >= MAX_BEFORE_ACCEPTED || waiting.held > MAX_BYTES_BEFORE_ACCEPTED) {
      this.greetingWait = undefined;
      const what = count >= MAX_BEFORE_ACCEPTED ? `${MAX_BEFORE_ACCEPTED} messages` : 'more than 16 MiB';
      this.failGreeting(id, new ClientRuntimeError('greeting', `${what} came before the greeting was accepted`));
    }
  }

  /**
   * Connection `id` closed, or the app is closing it (`closing`): a greeting it awaited, and what
   * came meanwhile, are let go — and, closing, what it sends until its close is not heard either.
   */
  protected ungreeted(id: number, closing = false): void {
    if (this.greetingWait?.opened.id !== id) return;
    this.greetingWait = undefined;
    this.beforeOpen = undefined;
    if (closing) this.unopened = id;
  }

  private told(waiting: { opened: Opened }): void {
    this.greetingWait = undefined;
    this.dispatch({ ...waiting.opened, greeted: true });
  }

  private acceptsGreeting(data: InboundMessage): boolean {
    const isAccepted = this.resolvedOptions.greeting?.isAccepted;
    return isAccepted !== undefined && this.guarded('greeting.isAccepted', isAccepted, data, 'greeting') === true;
  }

  /** The attempt fails on an open socket: cut it (the reducer ends a connecting one with no socket). */
  private failGreeting(id: number, error: unknown): void {
    this.dropConnection(id, 1000, '');
    this.dispatch({ type: 'connectFailed', id, error });
  }

  protected abstract dropConnection(id: number, code: number, reason: string, say?: boolean): void;

  /**
   * The app's recognizers run on server data, so they meet hostile input: one that throws is
   * reported as an `error` and the message is treated as ordinary, never thrown into the transport.
   */
  protected guarded<T>(
    name: string,
    recognize: (data: InboundMessage) => T,
    data: InboundMessage,
    kind: 'listener' | 'greeting' = 'listener',
  ): T | undefined {
    try {
      return recognize(data);
    } catch (error) {
      this.emitter.emit('error', new ClientRuntimeError(kind, `${name} threw`, error));
      return undefined;
    }
  }
}
