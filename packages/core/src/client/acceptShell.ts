import type { DropReason } from '../events/clientEvents';
import { ClientShell } from './clientShell';
import type { SendResult } from './clientTypes';
import { Expiry } from './expiry';
import { type MessageId, Outbox } from './outbox';
import {
  type OfferResult,
  type OutboundMessage,
  OutboundQueue,
  type QueuedMessage,
  type Settle,
  type Waiting,
  type WaitLimits,
} from './queue';
import type { SendOptions } from './sendOptions';
import { WaitingSignals } from './waitingSignals';

/** A send whose message waits for the flush ahead of it. */
interface Placing {
  readonly id: MessageId | undefined;
  readonly data: OutboundMessage;
  readonly seq: number;
  readonly signal: AbortSignal | undefined;
  readonly volatile: boolean | undefined;
  /** A later copy under its id, sent by app code inside that flush, replaced it. */
  replaced: boolean;
  /** The client closed inside that flush: it was told closed with the rest. */
  closed?: boolean;
  readonly settle: Settle | undefined;
}

/** A waiting message's limits, and how it is watched once it waits (`watch`). */
type Limits = WaitLimits & Waiting & { readonly watch: (take: Waiting['take']) => void };

/**
 * What send() does with a message: its place in send() order, written at once or waiting in the
 * queue (or the outbox, until acknowledged), with its `ttlMs` and `signal` watched while it waits.
 * Its fields are set only once the client exists (nothing sends from inside the constructor).
 */
export abstract class AcceptShell<TMessage> extends ClientShell<TMessage> {
  /** The signals of waiting messages, each with one abort listener. */
  #signals: WaitingSignals | undefined;
  /** Sends whose message waits for the flush ahead of it (innermost last). */
  #placing: Placing[] | undefined;

  /** A close completed inside such a flush: those messages are told closed with the rest, in send() order. */
  protected override unplaced(): QueuedMessage[] {
    // (A close from inside the constructor, an aborted signal, comes before this layer's fields.)
    if (!(#placing in this)) return [];
    const gone = (this.#placing ?? []).filter((p) => !p.replaced && !p.closed && !p.volatile);
    for (const p of gone) p.closed = true;
    return gone.map(({ data, seq, signal, settle }) => ({ data, seq, signal, settle, bytes: 0 }));
  }

  /**
   * What send() does with a message once it is checked (inside a sending section); `settle`,
   * deliver()'s, is told what becomes of it.
   */
  protected acceptSend(data: OutboundMessage, asked: SendOptions | undefined, settle?: Settle): SendResult {
    const { reliable } = this.resolvedOptions;
    const id = reliable && !asked?.volatile ? reliable.id(data) : undefined;
    // id() is the app's code: it may have closed the client, or aborted this message's signal.
    this.assertNotClosed('send');
    if (asked?.signal?.aborted) return this.refuseSend(data, 'aborted', settle);
    // A late expiry timer (a throttled tab): what expired must not take room from this message;
    // nor one whose signal the app aborted, its own abort listener (sending this) before resock's.
    // Only a full store needs that room (else resock's own listener takes them out next): no
    // walk over every waiting signal on each send.
    this.expireOverdue();
    // Nor may a copy replaced under its id leave untold (its hold on the signal let go).
    if (this.#signals?.size && (this.storeFull(id !== undefined, data) || (id !== undefined && this.outbox?.entry(id))))
      this.#signals.withdrawAborted();
    // Its place in send() order is taken now: what waits goes out first, up to it, and what app
    // code those writes run sends comes after it. Straight out only once nothing earlier waits.
    const seq = this.seq++;
    // (Not from app code a write runs: the flush under way writes it in its turn.)
    let clear = this.clearToWrite();
    let placed: SendResult | undefined;
    if (clear && this.hasPending()) {
      const placing: Placing = {
        id,
        data,
        seq,
        signal: asked?.signal,
        volatile: asked?.volatile,
        replaced: false,
        settle,
      };
      this.#placing ??= [];
      this.#placing.push(placing);
      clear = this.flushPending(seq) && this.writable();
      this.#placing.pop();
      // Replaced by a later copy, or told closed already.
      placed = placing.replaced ? 'queued' : placing.closed ? 'dropped' : undefined;
    }
    try {
      const result = placed ?? this.place(data, id, asked, seq, clear, settle);
      // Sent by app code inside such a flush, under the id of a send waiting for it: a later
      // copy, it replaces that one (not written after it).
      if (id !== undefined && result !== 'dropped')
        for (const earlier of this.#placing ?? [])
          if (earlier.id === id && !earlier.replaced) {
            earlier.replaced = true;
            earlier.settle?.('replaced');
          }
      return result;
    } finally {
      // What that code sent, behind this message, goes out now (unless the socket refused), also
      // when this one could not wait (QueueFullError).
      if (clear && this.refusedBy !== this.connectionId && this.hasPending()) this.flushPending();
    }
  }

  /** Writes the message, or lets it wait (or drops it), once what waited before it went out. */
  private place(
    data: OutboundMessage,
    id: MessageId | undefined,
    asked: SendOptions | undefined,
    seq: number,
    clear: boolean,
    settle: Settle | undefined,
  ) {
    // App code those writes ran may have aborted its signal, or closed the client (closing, the
    // message waits, to be told closed with the rest).
    if (asked?.signal?.aborted) return this.refuseSend(data, 'aborted', settle);
    if (asked?.volatile)
      return clear && this.writeNow(data) ? this.sentResult(settle) : this.refuseSend(data, 'volatile', settle);
    if (this.closedForGood()) return this.refuseSend(data, 'closed', settle);
    let offered: OfferResult<QueuedMessage>;
    let result: SendResult;
    if (id !== undefined) {
      this.outbox ??= new Outbox(this.resolvedOptions.queue);
      const limits = this.limits(asked, settle);
      // Into the outbox (until acknowledged) before the socket, so a refused write loses nothing.
      // add() throws QueueFullError with overflow 'reject'
      const added = this.outbox.add(id, data, seq, limits);
      // It waits (for its ack) from now: its limits count before its write runs app code.
      this.#watch(limits, added, this.outbox);
      offered = added;
      result = !offered.accepted ? 'dropped' : clear && this.writeNow(data, id) ? 'sent' : 'queued';
    } else {
      if (clear && this.writeNow(data)) return this.sentResult(settle);
      // A write that failed once app code it ran had closed the client.
      if (this.closedForGood()) return this.refuseSend(data, 'closed', settle);
      const limits = this.limits(asked, settle);
      this.queue ??= new OutboundQueue(this.resolvedOptions.queue);
      // offer() throws QueueFullError with overflow 'reject'
      offered = this.queue.offer(data, seq, limits);
      result = offered.accepted ? 'queued' : 'dropped';
      // It waits (queued): its limits start to count.
      this.#watch(limits, offered, this.queue);
    }
    // Only now tell the app what the offer cost: a listener that sends again must find this
    // message already written or waiting in its place.
    if (!offered.accepted) this.dropMessage(data, 'overflow', settle);
    else
      for (const evicted of offered.evicted)
        this.dropMessage(evicted.data, 'overflow', evicted.settle, evicted.written);
    return result;
  }

  private refuseSend(data: OutboundMessage, reason: DropReason, settle: Settle | undefined): SendResult {
    this.dropMessage(data, reason, settle);
    return 'dropped';
  }

  private sentResult(settle: Settle | undefined): SendResult {
    settle?.('sent');
    return 'sent';
  }

  /**
   * A message's `ttlMs` deadline, abort hook and `deliver()` promise; undefined when it has
   * none (a plain send allocates nothing). The first two are watched only once the message
   * waits (`watch`), and let go of when it stops.
   */
  private limits(asked: SendOptions | undefined, settle: Settle | undefined): Limits | undefined {
    const ttlMs = asked?.ttlMs ?? this.resolvedOptions.queue.ttlMs;
    const signal = asked?.signal;
    // Infinity: a send opting out of queue.ttlMs.
    const until = ttlMs === undefined || ttlMs === Infinity ? undefined : this.resolvedOptions.clock.now() + ttlMs;
    if (until === undefined && !signal && !settle) return undefined;
    const limits: Limits = {
      until,
      signal,
      settle,
      release: () => {
        if (!limits.take) return;
        limits.take = undefined;
        if (signal) this.#signals?.letGo(signal, limits);
        if (until !== undefined) this.expiry?.left();
      },
      watch: (take) => {
        limits.take = take;
        if (signal) {
          this.#signals ??= new WaitingSignals((aborted) => this.withdraw(aborted));
          this.#signals.hold(signal, limits);
        }
        if (until === undefined) return;
        this.expiry ??= new Expiry(this.resolvedOptions.clock, this.timers, () =>
          this.dropAll(this.expiry?.due() ?? [], []),
        );
        this.expiry.track(until, limits);
      },
    };
    return limits;
  }

  /** Once its message waits in `store`, its limits count (it can be taken out of there). */
  #watch<Stored>(
    limits: Limits | undefined,
    offered: OfferResult<Stored>,
    store: { take: (message: Stored) => QueuedMessage | undefined },
  ): void {
    if (!limits || !offered.accepted) return;
    const { stored } = offered;
    limits.watch(() => store.take(stored));
  }

  /** The app aborted waiting messages' signal: they leave the queue (and outbox). */
  private withdraw(aborted: readonly Waiting[]): void {
    const gone: QueuedMessage[] = [];
    for (const waiting of aborted) {
      const taken = waiting.take?.();
      if (taken) gone.push(taken);
    }
    // Aborted from the app's code inside a send (its reliable.id): told once that send is done.
    if (gone.length) this.tell(() => this.dropAll([], gone));
  }
}
