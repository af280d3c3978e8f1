import type { CloseRecord, Transport, TransportConnection, TransportHandlers } from '@resock/core';
import { uploadedBy } from '../wsConnection';

/**
 * What the server has surely read, per connection. A pong answers a ping only once the server
 * has read every frame sent before that ping (TCP keeps the order, and ws queues a ping behind
 * the messages before it), so the messages sent before a ping are delivered when its pong comes.
 * Each ping carries its own number, echoed in its pong: an unsolicited pong (RFC 6455 allows
 * them, as a one-way heartbeat) proves nothing, and one pong for several pings proves them all.
 * The heartbeat's pings count too. A close handshake the client began proves the same; one the
 * server began does not (its close frame left before it read what was still on the way).
 */
export interface Delivery {
  /** The transport to give the client: the given one, with every connection watched. */
  readonly transport: Transport;
  /** The live connection, if any (to cut it at a second Ctrl-C). */
  connection(): TransportConnection | undefined;
  /** Messages sent on the live connection and not yet proved delivered. */
  unconfirmed(): number;
  /**
   * Bytes the kernel has taken from the process on the live connection: a count that grows only
   * while the upload moves (a peer that still talks but stopped reading does not move it).
   */
  uploaded(): number;
  /**
   * The client's `close` event for the live connection: how many messages it carried that were
   * not proved delivered. Core may end a connection without waiting for the transport's own
   * close (a close deadline), so its record is what counts.
   */
  ended(record: CloseRecord): number;
  /** Resolves once the live connection's messages are proved delivered, or it has ended. */
  confirm(): Promise<void>;
  /** Asks for proof of what the live connection has sent (a ping, unless one is out for it all). */
  hint(): void;
  /** Resolves at the live connection's next proof (or its end). */
  next(): Promise<void>;
}

interface Watched {
  readonly inner: TransportConnection;
  readonly connection: TransportConnection;
  sent: number;
  confirmed: number;
  /** Pings not answered yet, in order: their number, and how many messages went before them. */
  readonly pings: Array<{ readonly id: number; readonly before: number }>;
  /** Called at each pong and at the end. */
  readonly waiters: Set<() => void>;
  /** The transport or the client said it has ended: nothing more will be proved. */
  over: boolean;
  /** The wait under way, for the messages sent when it began. */
  wait?: { readonly wanted: number; readonly done: Promise<void> };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function trackDelivery(transport: Transport): Delivery {
  let live: Watched | undefined;
  let pingIds = 0;
  const wake = (watched: Watched) => {
    for (const waiter of [...watched.waiters]) waiter();
  };
  const end = (watched: Watched) => {
    watched.over = true;
    wake(watched);
  };
  /** Resolves at the first pong (or the end) after which `reached()` holds. */
  const until = (watched: Watched, reached: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!reached() && !watched.over) return;
        watched.waiters.delete(check);
        resolve();
      };
      watched.waiters.add(check);
    });
  const ping = (watched: Watched, data?: Uint8Array) => {
    // A payload of the caller's own (none from core's heartbeat) is kept; only ours are counted.
    if (data !== undefined && data.byteLength > 0) return watched.inner.ping?.(data);
    const id = ++pingIds;
    watched.pings.push({ id, before: watched.sent });
    watched.inner.ping?.(encoder.encode(`resock:${id}`));
  };
  // Lines left unproved by the last answer (sent while a ping was out) get a ping of their own.
  const ask = (watched: Watched) => {
    if (!watched.over && watched.sent > watched.confirmed && watched.pings.length === 0) ping(watched);
  };
  const answered = (watched: Watched, data: Uint8Array | undefined) => {
    const id = data ? /^resock:(\d+)$/.exec(decoder.decode(data))?.[1] : undefined;
    const at = id === undefined ? -1 : watched.pings.findIndex((p) => p.id === Number(id));
    if (at < 0) return;
    // The answer to this ping answers those before it too (a server may answer only the last).
    const { before } = watched.pings[at] as { before: number };
    watched.pings.splice(0, at + 1);
    watched.confirmed = Math.max(watched.confirmed, before);
    wake(watched);
    ask(watched);
  };
  const watched: Transport = {
    ...transport,
    connect(request, handlers) {
      let state: Watched | undefined;
      const watching: TransportHandlers = {
        onOpen: (info) => handlers.onOpen(info),
        onMessage: (data) => handlers.onMessage(data),
        onError: (error) => handlers.onError(error),
        onPong: (data) => {
          if (state) answered(state, data);
          handlers.onPong?.(data);
        },
        onClose: (raw) => {
          if (state) end(state);
          handlers.onClose(raw);
        },
      };
      const inner = transport.connect(request, watching);
      const connection: TransportConnection = {
        send(data) {
          inner.send(data);
          // Counted once the socket has taken it (a refusal throws, and the message stays queued).
          if (state) state.sent++;
        },
        close: (code, reason) => inner.close(code, reason),
        ...(inner.terminate ? { terminate: () => inner.terminate?.() } : {}),
        ...(inner.ping ? { ping: (data?: Uint8Array) => state && ping(state, data) } : {}),
        // ws's connection has both (0: nothing known, as a count that never grows).
        get bufferedAmount() {
          return inner.bufferedAmount ?? 0;
        },
        get progress() {
          return inner.progress ?? 0;
        },
      };
      state = { inner, connection, sent: 0, confirmed: 0, pings: [], waiters: new Set(), over: false };
      live = state;
      return connection;
    },
  };
  const current = () => (live && !live.over ? live : undefined);
  return {
    transport: watched,
    connection: () => current()?.connection,
    unconfirmed: () => {
      const state = current();
      return state ? state.sent - state.confirmed : 0;
    },
    uploaded: () => {
      const state = current();
      return state ? (uploadedBy(state.inner) ?? state.inner.progress ?? 0) : 0;
    },
    ended(record) {
      const state = live;
      if (!state) return 0;
      live = undefined;
      end(state);
      return record.wasClean && record.initiator === 'client' ? 0 : state.sent - state.confirmed;
    },
    confirm() {
      const state = current();
      if (!state || state.sent === state.confirmed) return Promise.resolve();
      if (state.wait?.wanted === state.sent) return state.wait.done;
      const wanted = state.sent;
      // A ping already out for these messages will do.
      if ((state.pings.at(-1)?.before ?? -1) < wanted) ping(state);
      const done = until(state, () => state.confirmed >= wanted);
      state.wait = { wanted, done };
      return done;
    },
    hint() {
      const state = current();
      if (state) ask(state);
    },
    next() {
      const state = current();
      if (!state) return Promise.resolve();
      ask(state);
      return until(state, () => true);
    },
  };
}
