import { ClientRuntimeError } from '../errors';
import type { InboundMessage } from '../events/clientEvents';
import type { ConnectRequest } from '../transport';
import { ConnectionHandlers, fromTransport, type TransportEvent } from './connectionHandlers';
import { endConnection, safely } from './endConnection';
import { GreetingShell } from './greetingShell';
import { grew, MAX_SLOW_DEADLINES, progressOf, sharedScheduler } from './heartbeat';
import { later } from './shellState';
import { isInsecureRemoteUrl } from './socketUrl';
import { resolveTarget, type Target } from './target';

/** requireTls, for a transport's redirect hops: no plain text to a host other than this machine. */
const secureEnough = (url: string): boolean => !isInsecureRemoteUrl(url);

/**
 * One connection's life on the shell's side: resolving the URL, dialing, the transport's
 * callbacks (tagged with the connection's id, so a connection let go of is ignored), inbound
 * messages and acknowledgements (writing to it is `OutboundShell`'s).
 */
export abstract class ConnectionShell<TMessage> extends GreetingShell<TMessage> {
  // ── connections ─────────────────────────────────────────────────────────────────────────

  protected connect(id: number): void {
    this.connection = undefined;
    this.connectionId = id;
    this.connectionError = undefined;
    this.beforeOpen = undefined;
    this.untrusted = false;
    this.openInfo = undefined;
    this.counts.attempts++;
    let target: Target | Promise<Target>;
    try {
      target = resolveTarget(
        this.override?.url ?? this.options.url,
        this.override?.protocols ?? this.options.protocols,
        this.redact,
        this.options.requireTls,
        { attempt: this.machine.outage.failures + 1, record: this.lastClose },
      );
    } catch (error) {
      // On the next tick, so listeners attached right after createClient hear it.
      later(() => this.attemptFailed(id, error));
      return;
    }
    if (target instanceof Promise) {
      target.then(
        (resolved) => this.dial(id, resolved),
        (error: unknown) => this.attemptFailed(id, error),
      );
    } else {
      this.dial(id, target);
    }
  }

  /** The URL could not be resolved: a misconfiguration the app must hear of, and a failed attempt. */
  protected attemptFailed(id: number, error: unknown): void {
    if (id !== this.connectionId) return; // an attempt already given up (timed out, closed)
    if (error instanceof ClientRuntimeError) this.emitter.emit('error', error);
    this.dispatch({ type: 'connectFailed', id, error });
  }

  protected dial(id: number, target: Target): void {
    const phase = this.machine.phase;
    if (id !== this.connectionId || phase.status !== 'connecting' || phase.id !== id) return;
    // The url function closed the client (its signal, a close()) while it ran: dial nothing the
    // close would drop at once (a socket carrying the token for nothing).
    if (this.asked('close')) return;
    this.currentUrl = target.url;
    // Callbacks the transport makes from inside connect() queue up until it has returned.
    const nested = this.running;
    this.running = true;
    try {
      const { connectTimeoutMs, closeTimeoutMs, requireTls } = this.options;
      const request: ConnectRequest = {
        url: target.url,
        protocols: target.protocols,
        connectTimeoutMs,
        closeTimeoutMs,
      };
      if (requireTls) request.mayConnectTo = secureEnough;
      const connection = this.options.transport.connect(request, new ConnectionHandlers(this, id));
      if (id === this.connectionId) this.connection = connection;
      else endConnection(connection);
    } catch (error) {
      // A transport throws at once for what no retry changes (a bad header, a blocked port):
      // the app hears it as an error, and the record carries the transport's own error.
      later(() => {
        if (id !== this.connectionId) return;
        const text = this.redactText(String((error as { message?: unknown })?.message ?? error));
        this.emitter.emit('error', new ClientRuntimeError('transport', `transport.connect threw: ${text}`));
        this.dispatch({ type: 'connectFailed', id, error });
      });
    } finally {
      this.running = nested;
    }
    const pending = nested ? undefined : this.mailbox?.shift();
    if (pending) this.dispatch(pending);
  }

  /** The shell's side of one connection's callbacks (see ConnectionHandlers). */
  [fromTransport](id: number, event: TransportEvent): void {
    if (this.early) this.early.push(() => this.#transportEvent(id, event));
    else this.#transportEvent(id, event);
  }

  #transportEvent(id: number, event: TransportEvent): void {
    if (this.holding()) this.hold(() => this.#fromTransport(id, event));
    else this.#fromTransport(id, event);
  }

  #fromTransport(id: number, event: TransportEvent): void {
    // A connection resock has let go of (also while this waited to be replayed) is no news.
    if (id !== this.connectionId) return;
    switch (event.type) {
      case 'open':
        // A redirect took it elsewhere: the client's url and the open event say where.
        if (typeof event.url === 'string') this.currentUrl = event.url;
        this.dispatch({
          type: 'opened',
          id,
          url: this.currentUrl ?? '',
          protocol: event.protocol,
          extensions: event.extensions,
        });
        return;
      case 'close':
        this.connection = undefined; // a closed socket buffers nothing (bufferedAmount)
        this.ungreeted(id);
        // The raw close goes on as given (a CloseEvent's fields are prototype getters, lost to a
        // spread); the error reported before it is the cause when the close names none.
        this.dispatch({ type: 'transportClosed', id, raw: event.raw, error: this.connectionError });
        return;
      case 'error':
        this.connectionError = event.error;
        return;
      case 'pong':
        this.answered();
        return;
    }
  }

  /**
   * The close deadline's `fire`, unless bytes moved on the connection since it was set: what was
   * sent before close() drains ahead of the close frame (and the peer's answer behind what it
   * still sends), so a slow link gets another `delayMs` — up to MAX_SLOW_DEADLINES in all, so
   * a peer that trickles bytes cannot keep the client closing for ever.
   */
  protected whileMoving(delayMs: number, fire: () => void, grace: number | undefined): () => void {
    const { connection } = this;
    let moved = progressOf(connection);
    let left = MAX_SLOW_DEADLINES - 1;
    const check = () => {
      const now = progressOf(connection);
      if (!grew(moved, now) || left-- === 0 || connection !== this.connection) {
        fire();
        return;
      }
      moved = now;
      this.timers.start('close', delayMs, check, grace);
    };
    return check;
  }

  /**
   * An async schema's backlog is over the mark (true), or down to the low one (false): the open
   * connection stops being read where its transport can pause, and reads again. One that closes
   * must read the server's close frame: never paused, and read again by close().
   */
  protected backlog(over: boolean): void {
    const { inbound, connection, connectionId: id } = this;
    if (!inbound) return;
    if (!over) {
      if (inbound.paused === id && connection) safely(() => connection.resume?.());
      inbound.paused = 0;
    } else if (connection?.pause && inbound.paused !== id && this.machine.phase.status === 'open') {
      inbound.paused = id;
      safely(() => connection.pause?.());
    }
  }

  /** Stops listening to a connection and ends it: at once where the transport can. */
  protected drop(id: number, code: number, reason: string, say = false): void {
    if (id !== this.connectionId) return;
    const { connection } = this;
    this.connection = undefined;
    this.connectionId = 0;
    if (connection) endConnection(connection, code, reason, say);
  }

  /** A message from connection `id` (the hot path: no event object, one id check). */
  deliver(id: number, data: InboundMessage): void {
    // Closed by the app while its greeting awaited the acceptance: it never opened.
    if (id === this.unopened) {
      if (id === this.connectionId) this.counts.received++;
      return;
    }
    // Its open not yet told (both came from inside connect()), or what came with the open still
    // waiting to be heard: heard after them, in order, on the first connection as on any other.
    if (id === this.connectionId && (this.machine.phase.status === 'connecting' || this.beforeOpen)) {
      this.counts.received++;
      this.beforeOpen ??= [];
      this.beforeOpen.push(data);
      // The greeting's answer, while it is awaited.
      if (this.machine.phase.status === 'connecting') this.greeted(id, data, this.beforeOpen.length);
    } else if (this.early) this.early.push(() => this.#deliver(id, data));
    else this.#deliver(id, data);
  }

  #deliver(id: number, data: InboundMessage): void {
    if (id !== this.connectionId) return;
    // Counted as it arrives (stats.messagesReceived: what the transport delivered), heard or not.
    this.counts.received++;
    // It arrived while its connection was current: heard even if the app lets go of that
    // connection before it is replayed (unless the client is closed by then).
    if (this.holding()) this.hold(() => this.machine.phase.status !== 'closed' && this.#hear(id, data));
    else this.#hear(id, data);
  }

  /**
   * Behind what came with its connection's open, while that is being heard; a message replayed
   * after the app let go of its connection is heard at once (it came before the next one's).
   */
  #hear(id: number, data: InboundMessage): void {
    if (this.beforeOpen && id === this.connectionId) this.beforeOpen.push(data);
    else this.received(data);
  }

  /** Once the open is told: what arrived before the reducer heard of it (see deliver()). */
  protected deliverEarly(): void {
    const early = this.beforeOpen;
    if (!early) return;
    // One list to the end: what arrives meanwhile (a reply to a listener's send) joins it.
    for (let i = 0; i < early.length; i++) this.received(early[i] as InboundMessage);
    this.beforeOpen = undefined;
  }

  /** The heartbeat asks to be rescheduled (a ping answered, a probe sent): it is due earlier. */
  protected rescheduleIf(asked: boolean | undefined): void {
    if (asked && this.heartbeat) sharedScheduler(this.options.clock).reschedule(this.heartbeat);
  }

  /**
   * The hot path (counted on arrival): the liveness mark, the message, then what waited for a probe's
   * answer goes out — after the message is heard: a reply to what goes out came after it.
   */
  protected received(data: InboundMessage): void {
    this.rescheduleIf(this.heartbeat?.alive(this.options.clock.now()));
    // The peer answered: trusted while its message is heard (a listener's send goes out, behind
    // what was held), and what was held goes out after it at the latest — unless a listener let
    // go of the connection (a close() has already let them go ahead).
    if (!this.untrusted) {
      this.#take(data);
      return;
    }
    this.untrusted = false;
    this.answering = true;
    const id = this.connectionId;
    this.#take(data);
    if (this.answering && id === this.connectionId) this.trust();
    this.answering = false;
  }

  #take(data: InboundMessage): void {
    const { reliable } = this.options;
    if (reliable) {
      const id = this.guarded('reliable.ackOf', reliable.ackOf, data);
      if (id !== undefined) {
        const message = this.outbox?.ack(id);
        if (message !== undefined) this.emitter.emit('acked', { id, data: message });
        return; // an acknowledgement is reliable delivery's own traffic
      }
    }
    // Checked even when no heartbeat runs (closing, or a broken ping builder): a late pong is
    // still heartbeat traffic, not the app's.
    const isPong = this.options.heartbeat?.isPong;
    if (isPong && this.guarded('heartbeat.isPong', isPong, data)) return;
    if (this.inbound) this.inbound.receive(data);
    else this.emitter.emit('message', data as TMessage);
  }

  /** The peer spoke: it is alive, and what waited for a probe's answer goes out. */
  private answered(): void {
    this.rescheduleIf(this.heartbeat?.alive(this.options.clock.now()));
    this.trust();
  }
}
