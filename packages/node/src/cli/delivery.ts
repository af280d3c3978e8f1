import type { CloseRecord, Transport, TransportConnection, TransportHandlers } from '@resock/core';

/**
 * What the server has surely read, per connection. A pong answers a ping only once the server
 * has read every frame sent before that ping (TCP keeps the order, and ws queues a ping behind
 * the messages before it), so the messages sent before a ping are delivered when its pong comes.
 * A close handshake proves the same (`wasClean`); a connection that ends otherwise with messages
 * not yet proved delivered may have lost them. The heartbeat's pings prove delivery too.
 */
export interface Delivery {
  /** The transport to give the client: the given one, with every connection watched. */
  readonly transport: Transport;
  /** The live connection, if any (to cut it at a second Ctrl-C, or to read its progress). */
  connection(): TransportConnection | undefined;
  /** Messages sent on the live connection and not yet proved delivered. */
  unconfirmed(): number;
  /**
   * The client's `close` event for the live connection: how many messages it carried that were
   * not proved delivered (none after a clean close). Core may end a connection without waiting
   * for the transport's own close (a close deadline), so its record is what counts.
   */
  ended(record: CloseRecord): number;
  /**
   * Pings the live connection if it has messages not yet proved delivered; resolves once they
   * are, or the connection has ended (then `unconfirmedAtEnd()` says how many were not).
   */
  confirm(): Promise<void>;
  /** Pings the live connection if it has messages not yet proved delivered and no ping is out. */
  hint(): void;
}

interface Watched {
  readonly connection: TransportConnection;
  sent: number;
  confirmed: number;
  /** For each ping not answered yet, in order: how many messages had been sent before it. */
  readonly pings: number[];
  /** Called at each pong and at the end. */
  readonly waiters: Set<() => void>;
  /** The transport or the client said it has ended: nothing more will be proved. */
  over: boolean;
  /** The wait under way, for the messages sent when it began. */
  wait?: { readonly wanted: number; readonly done: Promise<void> };
}

export function trackDelivery(transport: Transport): Delivery {
  let live: Watched | undefined;
  const wake = (watched: Watched) => {
    for (const waiter of [...watched.waiters]) waiter();
  };
  const end = (watched: Watched) => {
    watched.over = true;
    wake(watched);
  };
  const watched: Transport = {
    ...transport,
    connect(request, handlers) {
      let state: Watched | undefined;
      const watching: TransportHandlers = {
        onOpen: (info) => handlers.onOpen(info),
        onMessage: (data) => handlers.onMessage(data),
        onError: (error) => handlers.onError(error),
        onPong: () => {
          // A pong no ping asked for (RFC 6455 allows them) proves nothing: it is only passed on.
          const before = state?.pings.shift();
          if (state && before !== undefined) {
            state.confirmed = Math.max(state.confirmed, before);
            wake(state);
          }
          handlers.onPong?.();
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
        ...(inner.ping
          ? {
              ping() {
                state?.pings.push(state.sent);
                inner.ping?.();
              },
            }
          : {}),
        // ws's connection has both (0: nothing known, as a count that never grows).
        get bufferedAmount() {
          return inner.bufferedAmount ?? 0;
        },
        get progress() {
          return inner.progress ?? 0;
        },
      };
      state = { connection, sent: 0, confirmed: 0, pings: [], waiters: new Set(), over: false };
      live = state;
      return connection;
    },
  };
  return {
    transport: watched,
    connection: () => (live?.over ? undefined : live?.connection),
    unconfirmed: () => (live && !live.over ? live.sent - live.confirmed : 0),
    ended(record) {
      const state = live;
      if (!state) return 0;
      live = undefined;
      end(state);
      return record.wasClean ? 0 : state.sent - state.confirmed;
    },
    confirm() {
      const state = live;
      if (!state || state.over || state.sent === state.confirmed) return Promise.resolve();
      if (state.wait?.wanted === state.sent) return state.wait.done;
      const wanted = state.sent;
      // A ping already out for these messages will do.
      if ((state.pings.at(-1) ?? -1) < wanted) state.connection.ping?.();
      const done = new Promise<void>((resolve) => {
        const check = () => {
          if (state.confirmed < wanted && !state.over) return;
          state.waiters.delete(check);
          resolve();
        };
        state.waiters.add(check);
      });
      state.wait = { wanted, done };
      return done;
    },
    hint() {
      if (live && !live.over && live.sent > live.confirmed && live.pings.length === 0) live.connection.ping?.();
    },
  };
}
