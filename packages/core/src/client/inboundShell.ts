import { ClientRuntimeError } from '../errors';
import type { InboundMessage } from '../events/clientEvents';
import { safely } from './endConnection';
import { GreetingShell } from './greetingShell';
import type { InboundSinks } from './inbound';
import { sharedScheduler } from './sharedScheduler';

/**
 * What a connection brings in, on the shell's side: its messages in arrival order to the
 * greeting, reliable delivery's acknowledgements, the heartbeat's pongs and the app (through the
 * `messages` schema's pipeline, whose backlog pauses the connection or, past its limit, lets it go).
 */
export abstract class InboundShell<TMessage> extends GreetingShell<TMessage> {
  /** Where the pipeline's results go: made once, by ShellState's constructor. */
  protected inboundSinks(): InboundSinks<TMessage> {
    return {
      message: (message) => this.toApp(message),
      invalid: (event) => {
        this.tally.heard++; // traffic, for the idle check
        this.emitter.emit('invalidMessage', event);
      },
      ready: () => {
        const phase = this.machine.phase;
        if (phase.status === 'open') this.dispatch({ type: 'stable', id: phase.id });
      },
      readyThrew: (error) => this.emitter.emit('error', new ClientRuntimeError('listener', 'isReady threw', error)),
      backlog: (over) => this.onBacklog(over),
      overflow: () => this.overflowed(),
    };
  }

  /**
   * An async schema's backlog is over the mark (true), or down to the low one (false): the open
   * connection stops being read where its transport can pause, and reads again. One that closes
   * must read the server's close frame: never paused, and read again by close().
   */
  protected onBacklog(over: boolean): void {
    const { inbound, connection, connectionId: id } = this;
    if (!inbound) return;
    if (!over) {
      if (inbound.pausedFor === id && connection) safely(() => connection.resume?.());
      inbound.pausedFor = 0;
    } else if (connection?.pause && inbound.pausedFor !== id && this.machine.phase.status === 'open') {
      inbound.pausedFor = id;
      safely(() => connection.pause?.());
    }
  }

  /**
   * Past the backlog's limit: the open connection feeding it is let go, as a transport's error
   * (ws's own limits, a message too large, are), and the policy decides. One closing is ending anyway.
   */
  protected overflowed(): void {
    const { phase } = this.machine;
    if (phase.status !== 'open') return;
    const error = new ClientRuntimeError(
      'messages',
      'too much waits for the messages schema: the connection is let go',
    );
    this.dispatch({ type: 'overflowed', id: phase.id, error: Object.assign(error, { code: 'RESOCK_BACKLOG_FULL' }) });
  }

  /** A message from connection `id` (the hot path: no event object, one id check). */
  arrived(id: number, data: InboundMessage): void {
    // Closed by the app while its greeting awaited the acceptance: it never opened.
    if (id === this.unopened) {
      if (id === this.connectionId) this.tally.receivedCount++;
      return;
    }
    // Its open not yet told (both came from inside connect()), or what came with the open still
    // waiting to be heard: heard after them, in order, on the first connection as on any other.
    if (id === this.connectionId && (this.machine.phase.status === 'connecting' || this.beforeOpen)) {
      this.tally.receivedCount++;
      this.beforeOpen ??= [];
      this.beforeOpen.push(data);
      // The greeting's answer, while it is awaited.
      if (this.machine.phase.status === 'connecting') this.greeted(id, data, this.beforeOpen.length);
    } else if (this.early) this.early.push(() => this.arrivedNow(id, data));
    else this.arrivedNow(id, data);
  }

  private arrivedNow(id: number, data: InboundMessage): void {
    if (id !== this.connectionId) return;
    // Counted as it arrives (stats.messagesReceived: what the transport delivered), heard or not.
    this.tally.receivedCount++;
    // It arrived while its connection was current: heard even if the app lets go of that
    // connection before it is replayed (unless the client is closed by then).
    if (this.holding()) this.hold(() => this.machine.phase.status !== 'closed' && this.hear(id, data));
    else this.hear(id, data);
  }

  /**
   * Behind what came with its connection's open, while that is being heard; a message replayed
   * after the app let go of its connection is heard at once (it came before the next one's).
   */
  private hear(id: number, data: InboundMessage): void {
    if (this.beforeOpen && id === this.connectionId) this.beforeOpen.push(data);
    else this.received(data);
  }

  /** Once the open is told: what arrived before the reducer heard of it (see arrived()). */
  protected deliverEarly(): void {
    const early = this.beforeOpen;
    if (!early) return;
    // One list to the end: what arrives meanwhile (a reply to a listener's send) joins it.
    for (let i = 0; i < early.length; i++) this.received(early[i] as InboundMessage);
    this.beforeOpen = undefined;
  }

  /** The heartbeat asks to be rescheduled (a ping answered, a probe sent): it is due earlier. */
  protected rescheduleIf(asked: boolean | undefined): void {
    if (asked && this.liveHeartbeat) sharedScheduler(this.resolvedOptions.clock).reschedule(this.liveHeartbeat);
  }

  /**
   * The hot path (counted on arrival): the liveness mark, the message, then what waited for a probe's
   * answer goes out — after the message is heard: a reply to what goes out came after it.
   */
  protected received(data: InboundMessage): void {
    this.rescheduleIf(this.liveHeartbeat?.alive(this.resolvedOptions.clock.now()));
    // The peer answered: trusted while its message is heard (a listener's send goes out, behind
    // what was held), and what was held goes out after it at the latest — unless a listener let
    // go of the connection (a close() has already let them go ahead).
    if (!this.untrusted) {
      this.take(data);
      return;
    }
    this.untrusted = false;
    this.answering = true;
    const id = this.connectionId;
    this.take(data);
    if (this.answering && id === this.connectionId) this.trust();
    this.answering = false;
  }

  private take(data: InboundMessage): void {
    const { reliable } = this.resolvedOptions;
    if (reliable) {
      const id = this.guarded('reliable.ackOf', reliable.ackOf, data);
      if (id !== undefined) {
        const entry = this.outbox?.acked(id);
        if (entry) {
          this.outbox?.ack(id);
          this.tally.heard++; // traffic, for the idle check
          entry.settle?.('acked');
          this.emitter.emit('acked', { id, data: entry.data });
        }
        return; // an acknowledgement is reliable delivery's own traffic
      }
    }
    // Checked even when no heartbeat runs (closing, or a broken ping builder): a late pong is
    // still heartbeat traffic, not the app's.
    const isPong = this.resolvedOptions.heartbeat?.isPong;
    if (isPong && this.guarded('heartbeat.isPong', isPong, data)) return;
    if (this.inbound) this.inbound.receive(data);
    else this.toApp(data as TMessage);
  }

  /**
   * A message is handed to the app: traffic, for the idle check — counted as the app hears it,
   * so an answer to one an async schema held is not cut off by an idle close.
   */
  private toApp(message: TMessage): void {
    this.tally.heard++;
    this.emitter.emit('message', message);
  }

  /** The peer spoke: it is alive, and what waited for a probe's answer goes out. */
  protected answered(): void {
    this.rescheduleIf(this.liveHeartbeat?.alive(this.resolvedOptions.clock.now()));
    this.trust();
  }
}
