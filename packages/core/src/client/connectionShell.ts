import { ClientRuntimeError } from '../errors';
import { isThenable } from '../inputChecks';
import type { AttemptContext } from '../options';
import { urlText } from '../resolveOptions';
import type { ConnectRequest } from '../transport';
import { ConnectionHandlers, fromTransport, type TransportEvent } from './connectionHandlers';
import { endConnection } from './endConnection';
import { grew, MAX_SLOW_DEADLINES, progressOf } from './heartbeat';
import { InboundShell } from './inboundShell';
import { later } from './shellState';
import { isInsecureRemoteUrl, isLoopbackUrl } from './socketUrl';
import { resolveTarget, type Target } from './target';

/** requireTls, for a transport's redirect hops: no plain text to a host other than this machine. */
const secureEnough = (url: string): boolean => !isInsecureRemoteUrl(url);

/**
 * One connection's life on the shell's side: resolving the URL, dialing, the transport's
 * callbacks (tagged with the connection's id, so a connection let go of is ignored). What it
 * brings in is `InboundShell`'s; writing to it is `OutboundShell`'s.
 */
export abstract class ConnectionShell<TMessage> extends InboundShell<TMessage> {
  // ── connections ─────────────────────────────────────────────────────────────────────────

  /** `afterMs`: the app asked for it too soon after the attempt it asked for before (MIN_ASKED_DIAL_MS). */
  protected connectAttempt(id: number, afterMs?: number): void {
    this.abortAttempt(); // (each attempt's own end aborts it: none should be left here)
    this.connection = undefined;
    this.connectionId = id;
    this.connectionError = undefined;
    this.beforeOpen = undefined;
    this.untrusted = false;
    this.openInfo = undefined;
    this.tally.attempts++;
    if (!this.failedEarly && !afterMs) {
      this.resolveAttempt(id);
      return;
    }
    // The attempt before failed before it dialled (its url function's promise, the transport's
    // prepare() or connect()): such a failure comes back within a microtask, so this one waits
    // for the event loop to turn (a 0 ms timer). A listener that reconnect()s on every close
    // (pladaria/reconnecting-websocket#60's pattern), with a url function whose token fetch is
    // an already rejected promise, otherwise looped without the page ever running again. (An
    // attempt held back by afterMs waits that long instead.)
    this.timers.setTimer('turn', afterMs ?? 0, () => {
      this.failedEarly = undefined;
      if (this.dialable(id)) this.resolveAttempt(id);
    });
  }

  private resolveAttempt(id: number): void {
    let target: Target | Promise<Target>;
    const attempt = this.machine.outage.failures + 1;
    const record = this.lastClose;
    let context: AttemptContext | undefined;
    // Made only for code that is told it (a url or protocols function, a transport's prepare()):
    // a plain URL costs no AbortController.
    const contextOf = (): AttemptContext => {
      if (!context) {
        this.attemptAbort = new AbortController();
        context = { attempt, record, signal: this.attemptAbort.signal };
      }
      return context;
    };
    try {
      target = resolveTarget(
        this.override?.url ?? this.resolvedOptions.url,
        this.override?.protocols ?? this.resolvedOptions.protocols,
        this.redact,
        this.resolvedOptions.requireTls,
        contextOf,
      );
    } catch (error) {
      // On the next tick, so listeners attached right after createClient hear it.
      later(() => this.attemptFailed(id, error));
      return;
    }
    if (target instanceof Promise) {
      target.then(
        (resolved) => this.prepareDial(id, resolved, contextOf),
        (error: unknown) => this.attemptFailed(id, error),
      );
    } else {
      this.prepareDial(id, target, contextOf);
    }
  }

  /**
   * The transport's own preparation, where it has one (an async token for a header): inside the
   * connect deadline, before the dial. What it adds to the request, its connect() receives.
   */
  protected prepareDial(id: number, target: Target, context: () => AttemptContext): void {
    const { transport } = this.resolvedOptions;
    const request = this.requestOf(target);
    let prepared: unknown;
    try {
      if (transport.prepare && this.dialable(id)) prepared = transport.prepare(request, context());
    } catch (error) {
      this.connectThrew(id, error, 'transport.prepare threw');
      return;
    }
    if (!isThenable(prepared)) {
      this.dial(id, request);
      return;
    }
    // As a Promise takes it: a library's thenable settles once, and one whose then() throws rejects.
    Promise.resolve(prepared).then(
      () => this.dial(id, request),
      (error: unknown) => this.connectThrew(id, error, 'transport.prepare failed'),
    );
  }

  /**
   * The attempt failed before it dialled (its URL could not be resolved, the transport threw):
   * a misconfiguration the app hears of (`reported`, when it is resock's runtime error: a url
   * function's own rejection is only the record's), and a failed attempt.
   */
  protected attemptFailed(id: number, error: unknown, reported: unknown = error): void {
    if (id !== this.connectionId) return; // an attempt already given up (timed out, closed)
    this.abortAttempt();
    this.failedEarly = true;
    if (reported instanceof ClientRuntimeError) this.emitter.emit('error', reported);
    this.dispatch({ type: 'connectFailed', id, error });
  }

  private requestOf(target: Target): ConnectRequest {
    const { connectTimeoutMs, closeTimeoutMs, requireTls } = this.resolvedOptions;
    const request: ConnectRequest = { url: target.url, protocols: target.protocols, connectTimeoutMs, closeTimeoutMs };
    if (requireTls) request.mayConnectTo = secureEnough;
    return request;
  }

  /**
   * The client dials this machine (localhost, 127.0.0.0/8, [::1]): the page's offline is not
   * its concern. A browser says offline whenever no link but loopback is up (Wi-Fi off with a
   * dev server, a kiosk's local agent, a container without a network), and such a server still
   * answers: the client waited for ever, or let a working socket go. A url function's target
   * is known once it has been called.
   */
  protected dialsHere(): boolean {
    const url = urlText(this.override?.url ?? this.resolvedOptions.url) ?? this.currentUrl;
    return url !== undefined && isLoopbackUrl(url);
  }

  /** Attempt `id` is still the one to dial (not given up, nor the client closing). */
  private dialable(id: number): boolean {
    const phase = this.machine.phase;
    // The url function (or the transport's preparation) closed the client (its signal, a
    // close()) while it ran: dial nothing the close would drop at once (a socket carrying the
    // token for nothing).
    return id === this.connectionId && phase.status === 'connecting' && phase.id === id && !this.leaving();
  }

  protected dial(id: number, request: ConnectRequest): void {
    if (!this.dialable(id)) return;
    this.attemptAbort = undefined; // what the attempt's signal was for is done
    this.currentUrl = request.url;
    // Callbacks the transport makes from inside connect() queue up until it has returned.
    const nested = this.running;
    this.running = true;
    try {
      const connection = this.resolvedOptions.transport.connect(request, new ConnectionHandlers(this, id));
      if (id === this.connectionId) this.connection = connection;
      else endConnection(connection);
    } catch (error) {
      this.connectThrew(id, error, 'transport.connect threw');
    } finally {
      this.running = nested;
    }
    const pending = nested ? undefined : this.mailbox?.shift();
    if (pending) this.dispatch(pending);
  }

  /**
   * A transport throws at once for what no retry changes (a bad header, a blocked port): the app
   * hears it as an error, and the record carries the transport's own error.
   */
  private connectThrew(id: number, error: unknown, what: string): void {
    later(() => {
      const text = this.redactText(String((error as { message?: unknown })?.message ?? error));
      this.attemptFailed(id, error, new ClientRuntimeError('transport', `${what}: ${text}`));
    });
  }

  /** The shell's side of one connection's callbacks (see ConnectionHandlers). */
  [fromTransport](id: number, event: TransportEvent): void {
    if (this.early) this.early.push(() => this.transportEvent(id, event));
    else this.transportEvent(id, event);
  }

  private transportEvent(id: number, event: TransportEvent): void {
    if (this.holding()) this.hold(() => this.actOn(id, event));
    else this.actOn(id, event);
  }

  private actOn(id: number, event: TransportEvent): void {
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
      this.timers.setTimer('close', delayMs, check, grace);
    };
    return check;
  }

  /**
   * The attempt ended before it dialed (given up, failed, the client closed): the work a url
   * function or the transport's prepare() does for it can stop (its signal).
   */
  protected abortAttempt(): void {
    const abort = this.attemptAbort;
    this.attemptAbort = undefined;
    abort?.abort();
  }

  /** Stops listening to a connection and ends it: at once where the transport can. */
  protected dropConnection(id: number, code: number, reason: string, say = false): void {
    if (id !== this.connectionId) return;
    this.abortAttempt();
    const { connection } = this;
    this.connection = undefined;
    this.connectionId = 0;
    this.timers.cancel('turn'); // an attempt that waited to dial
    if (connection) endConnection(connection, code, reason, say);
  }
}
