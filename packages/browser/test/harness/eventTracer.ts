// The page side of the differential tests: installs `window.state.tracer`, which runs a script on
// a native WebSocket or a ReconnectingWebSocket and traces every event (self-contained: the
// function is serialized into the page).

export type Action =
  | { send: string }
  | { sendBytes: number[] }
  /** close(...args); the string '__undefined__' stands for an explicit undefined. */
  | { close: unknown[] };

export interface Script {
  binaryType?: 'blob' | 'arraybuffer';
  /** Log where a microtask queued by each event's first listener runs. */
  probeMicrotasks?: boolean;
  protocols?: string[];
  /** Right after construction. */
  immediate?: Action[];
  open?: Action[];
  message?: Action[];
  error?: Action[];
  close?: Action[];
}

export interface PageResult {
  trace: string[];
  /** Events after the first close, during the settle; close events tagged same/new record. */
  extras: string[];
  settled: string;
}

/** Installed once in the page: window.state.tracer. Self-contained (serialized to the page). */
export function installTracer() {
  // biome-ignore lint/suspicious/noExplicitAny: page-side test code
  type Any = any;
  const w = window as Any;
  w.state ??= {};
  const UNDEF = '__undefined__';
  let current: Any;
  const describeData = (data: unknown): string => {
    const tag = Object.prototype.toString.call(data);
    if (typeof data === 'string') return `string:${JSON.stringify(data)}`;
    if (data instanceof ArrayBuffer) return `${tag} bytes=${[...new Uint8Array(data)].join(',')}`;
    if (data instanceof Blob) return `${tag} size=${data.size} type=${JSON.stringify(data.type)}`;
    return `${tag}`;
  };
  const snapshot = (ws: Any) =>
    `rs=${ws.readyState} buf=${ws.bufferedAmount} proto=${JSON.stringify(ws.protocol)} ext=${JSON.stringify(ws.extensions)} url=${ws.url}`;
  const run = (ws: Any, actions: Action[] | undefined, log: string[]) => {
    for (const action of actions ?? []) {
      if ('send' in action || 'sendBytes' in action) {
        const data = 'send' in action ? action.send : new Uint8Array(action.sendBytes);
        const label = 'send' in action ? JSON.stringify(action.send) : `bytes(${action.sendBytes.length})`;
        try {
          ws.send(data);
          log.push(`  call send(${label}) -> ok ${snapshot(ws)}`);
        } catch (error) {
          log.push(`  call send(${label}) -> throws ${(error as Error).name} rs=${ws.readyState}`);
        }
      } else {
        const args = action.close.map((a) => (a === UNDEF ? undefined : a));
        const label = action.close.map((a) => (a === UNDEF ? 'undefined' : JSON.stringify(a))).join(',');
        let outcome: string;
        try {
          ws.close(...args);
          outcome = 'ok';
        } catch {
          // The error's type may differ by design (resock's typed error): only whether it throws.
          outcome = 'throws';
        }
        log.push(`  call close(${label}) -> ${outcome} rs=${ws.readyState} buf=${ws.bufferedAmount}`);
      }
    }
  };
  w.state.tracer = {
    start(which: 'native' | 'facade', url: string, script: Script) {
      const trace: string[] = [];
      const extras: string[] = [];
      const ws: Any =
        which === 'native'
          ? script.protocols
            ? new WebSocket(url, script.protocols)
            : new WebSocket(url)
          : script.protocols
            ? new w.resock.ReconnectingWebSocket(url, script.protocols)
            : new w.resock.ReconnectingWebSocket(url);
      let firstRecord: unknown;
      let closedAt = false;
      let resolveDone: (value: PageResult) => void = () => undefined;
      const done = new Promise<PageResult>((resolve) => {
        resolveDone = resolve;
      });
      trace.push(`construct ${snapshot(ws)} binaryType=${ws.binaryType}`);
      if (script.binaryType) {
        ws.binaryType = script.binaryType;
        trace.push(`set binaryType -> ${ws.binaryType}`);
      }
      const finishAfterSettle = () => {
        setTimeout(() => {
          // A settle after the first close, only to catch late extra events.
          resolveDone({ trace, extras, settled: `settled rs=${ws.readyState} buf=${ws.bufferedAmount}` });
        }, 300);
      };
      for (const type of ['open', 'message', 'error', 'close']) {
        ws.addEventListener(type, (event: Any) => {
          const log = closedAt ? extras : trace;
          let line = `${type} ${snapshot(ws)} isEvent=${event instanceof Event} target=${event.target === ws} type=${event.type}`;
          if (type === 'message') line += ` data=${describeData(event.data)} origin=${event.origin}`;
          if (type === 'close') {
            line += ` code=${event.code} reason=${JSON.stringify(event.reason)} wasClean=${event.wasClean}`;
            if (closedAt) line += event.record === firstRecord ? ' [same record]' : ' [new record]';
          }
          log.push(line);
          if (script.probeMicrotasks) queueMicrotask(() => log.push(`  microtask queued in ${type} listener`));
          if (type === 'close' && !closedAt) {
            firstRecord = event.record;
            closedAt = true;
            finishAfterSettle();
          }
        });
      }
      let closeActionsRan = false;
      for (const type of ['open', 'message', 'error', 'close'] as const) {
        if (script[type])
          ws[`on${type}`] = () => {
            if (closedAt && type !== 'close') return; // the first connection only
            if (type === 'close') {
              if (closeActionsRan) return;
              closeActionsRan = true;
            }
            run(ws, script[type], trace);
          };
      }
      run(ws, script.immediate, trace);
      trace.push(`after construct+immediate ${snapshot(ws)}`);
      current = { ws, which, done, trace };
    },
    act(actions: Action[]) {
      run(current.ws, actions, current.trace);
    },
    async finish(timeoutMs: number): Promise<PageResult> {
      const timeout = new Promise<PageResult>((resolve) =>
        setTimeout(
          () => resolve({ trace: [...current.trace, 'TIMEOUT: no close'], extras: [], settled: 'timeout' }),
          timeoutMs,
        ),
      );
      return Promise.race([current.done, timeout]);
    },
    /** Tears the socket down; the facade until its client is closed (so it takes no more planned scenarios). */
    async teardown() {
      const { ws, which } = current;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      if (which === 'native') {
        if (ws.readyState < 2) ws.close();
        return 'native';
      }
      ws.close();
      const client = ws.client;
      await new Promise<void>((resolve) => {
        if (client.state === 'closed' || client.state === 'failed') return resolve();
        const timer = setTimeout(resolve, 5000);
        client.on('state', ({ to }: { to: string }) => {
          if (to === 'closed' || to === 'failed') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      return client.state;
    },
  };
}
