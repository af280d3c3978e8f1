import { createClient, nodeTransport, type PolicyInput, type Transport } from '@resock/node';
import { WebSocket as PartySocket } from 'partysocket';
import ReconnectingWebSocket from 'reconnecting-websocket';
import WebSocket from 'ws';

/** One connection as a benchmark sees it, whatever the library. */
export interface Connection {
  send(data: string): void;
  onMessage(listener: (data: unknown) => void): void;
  onOpen(listener: () => void): void;
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Reconnect with no delay (each library's minimum). */
  zeroDelay?: boolean;
  /** resock only: heartbeat on (its Node default) or off. */
  heartbeat?: boolean;
  /** Called when the library starts a connection attempt. */
  onAttempt?: () => void;
}

export interface Contender {
  readonly name: string;
  connect(url: string, options?: ConnectOptions): Connection;
}

/** A ws subclass that reports each construction: every library's attempts, counted alike. */
function counting(onAttempt?: () => void): typeof WebSocket {
  if (!onAttempt) return WebSocket;
  return class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      onAttempt?.();
      super(...args);
    }
  } as typeof WebSocket;
}

const zeroDelayPolicy: PolicyInput = { preset: 'none', backoff: { type: 'constant', delayMs: 0 } };

export const rawWs: Contender = {
  name: 'raw-ws',
  connect(url, options = {}) {
    const Ctor = counting(options.onAttempt);
    let ws = new Ctor(url);
    const listeners = {
      message: [] as Array<(d: unknown) => void>,
      open: [] as Array<() => void>,
      close: [] as Array<() => void>,
    };
    let closing = false;
    const wire = () => {
      ws.on('message', (data, isBinary) => {
        const value = isBinary ? data : data.toString();
        for (const l of listeners.message) l(value);
      });
      ws.on('open', () => {
        for (const l of listeners.open) l();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        for (const l of listeners.close) l();
        // The baseline's reconnect: synchronously in the close handler.
        if (!closing && options.zeroDelay) {
          ws = new Ctor(url);
          wire();
        }
      });
    };
    wire();
    return {
      send: (data) => ws.send(data),
      onMessage: (l) => void listeners.message.push(l),
      onOpen: (l) => void listeners.open.push(l),
      onClose: (l) => void listeners.close.push(l),
      close: async () => {
        closing = true;
        if (ws.readyState === WebSocket.CLOSED) return;
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        ws.close();
        await closed;
      },
    };
  },
};

export const resock: Contender = {
  name: 'resock',
  connect(url, options = {}) {
    const client = createClient({
      url,
      ...(options.zeroDelay ? { policy: zeroDelayPolicy } : {}),
      // On unless told otherwise, as with nodeTransport (the counting wrapper keeps its pings).
      heartbeat: options.heartbeat ?? true,
      ...(options.onAttempt ? { transport: countingTransport(options.onAttempt) } : {}),
    });
    return {
      send: (data) => void client.send(data),
      onMessage: (l) => void client.on('message', l),
      onOpen: (l) => void client.on('open', () => l()),
      onClose: (l) => void client.on('close', () => l()),
      close: async () => void (await client.close()),
    };
  },
};

/** resock's ws transport, reporting each attempt (resock builds its sockets inside it). */
function countingTransport(onAttempt: () => void): Transport {
  const inner = nodeTransport();
  return {
    connect(request, handlers) {
      onAttempt();
      return inner.connect(request, handlers);
    },
  };
}

function domLike(
  name: string,
  make: (url: string, options: ConnectOptions) => ReconnectingWebSocket | PartySocket,
): Contender {
  return {
    name,
    connect(url, options = {}) {
      const socket = make(url, options);
      return {
        send: (data) => socket.send(data),
        onMessage: (l) => socket.addEventListener('message', (event) => l((event as MessageEvent).data)),
        onOpen: (l) => socket.addEventListener('open', () => l()),
        onClose: (l) => socket.addEventListener('close', () => l()),
        close: async () => {
          // Between attempts these libraries fire no close event for close(): wait only when
          // a socket is actually open.
          const wasOpen = socket.readyState === 1;
          const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
          socket.close();
          if (wasOpen) await closed;
        },
      };
    },
  };
}

const zeroDelayPeer = { minReconnectionDelay: 0, maxReconnectionDelay: 0, reconnectionDelayGrowFactor: 1 };

export const reconnectingWebSocket = domLike(
  'reconnecting-websocket',
  (url, options) =>
    new ReconnectingWebSocket(url, [], {
      WebSocket: counting(options.onAttempt),
      ...(options.zeroDelay ? zeroDelayPeer : {}),
    }),
);

export const partysocket = domLike(
  'partysocket',
  (url, options) =>
    new PartySocket(url, [], { WebSocket: counting(options.onAttempt), ...(options.zeroDelay ? zeroDelayPeer : {}) }),
);

export const contenders: readonly Contender[] = [rawWs, resock, reconnectingWebSocket, partysocket];
