import type { Transport } from '@resock/core';
import type { ClientStep, Observation } from './transportContract';

/**
 * Connects `transport`, performs the steps, waits at most `waitMs` for the close, and reports
 * what the handlers saw. Platform-free (promises and setTimeout only), so the same runner drives
 * a transport in Node and inside a browser page.
 */
export async function runContractSteps(
  transport: Transport,
  url: string,
  protocols: string[],
  steps: ClientStep[],
  waitMs: number,
): Promise<Observation> {
  const seen: Observation = { opened: null, messages: [], close: null, pongs: 0, errors: 0 };
  let wake: (() => void) | undefined;
  const changed = () => wake?.();
  const connection = transport.connect(
    { url, protocols, connectTimeoutMs: waitMs },
    {
      onOpen: ({ protocol }) => {
        seen.opened = { protocol };
        changed();
      },
      onMessage: (data) => {
        seen.messages.push(typeof data === 'string' ? { text: data } : { bytes: [...new Uint8Array(data)] });
        changed();
      },
      onClose: (raw) => {
        seen.close = { code: raw.code, reason: raw.reason, wasClean: raw.wasClean };
        if (raw.handshake?.status !== undefined) seen.close.status = raw.handshake.status;
        const retryAfter = raw.handshake?.headers?.['retry-after'];
        if (retryAfter !== undefined) seen.close.retryAfter = retryAfter;
        changed();
      },
      onError: () => {
        seen.errors++;
      },
      onPong: () => {
        seen.pongs++;
        changed();
      },
    },
  );
  const deadline = Date.now() + waitMs;
  /** Resolves true once `done()` holds (or the close came), false at the deadline. */
  const until = async (done: () => boolean): Promise<boolean> => {
    while (!done() && !seen.close) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return true;
  };
  for (const step of steps) {
    let ok = true;
    if (step.do === 'waitOpen') ok = await until(() => seen.opened !== null);
    else if (step.do === 'send') connection.send(step.text);
    else if (step.do === 'sendBytes') connection.send(new Uint8Array(step.bytes));
    else if (step.do === 'sendSharedBytes') connection.send(sharedView(step.bytes));
    else if (step.do === 'sendBlob') connection.send(new Blob([new Uint8Array(step.bytes)]));
    else if (step.do === 'waitMessages') ok = await until(() => seen.messages.length >= step.count);
    else if (step.do === 'close') connection.close(step.code, step.reason);
    else if (step.do === 'terminate') connection.terminate?.();
    else if (step.do === 'ping') connection.ping?.();
    else if (step.do === 'waitPong') ok = await until(() => seen.pongs > 0);
    if (!ok) break;
  }
  await until(() => false);
  if (!seen.close) {
    if (connection.terminate) connection.terminate();
    else connection.close();
  }
  return seen;
}

/** `bytes` in a view one byte into a larger SharedArrayBuffer (a page needs cross-origin isolation). */
function sharedView(bytes: number[]): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length + 2), 1, bytes.length);
  view.set(bytes);
  return view;
}
