import { EventEmitter, once } from 'node:events';
import type { Transport } from '@resock/core';
import type { ContractDriver, Observation } from './transportContract';

/** Drives any `Transport` in this process, for the contract suite. */
export function inProcessDriver(
  name: string,
  transport: () => Transport,
  capabilities: Pick<ContractDriver, 'seesHandshakeStatus' | 'canPing' | 'canTerminate'>,
): ContractDriver {
  return {
    name,
    ...capabilities,
    async run(url, protocols, steps, waitMs) {
      const events = new EventEmitter();
      const seen: Observation = { opened: null, messages: [], close: null, pongs: 0, errors: 0 };
      const connection = transport().connect(
        { url, protocols, connectTimeoutMs: waitMs },
        {
          onOpen: ({ protocol }) => {
            seen.opened = { protocol };
            events.emit('change');
          },
          onMessage: (data) => {
            seen.messages.push(
              typeof data === 'string' ? { text: data } : { bytes: [...new Uint8Array(data as ArrayBuffer)] },
            );
            events.emit('change');
          },
          onClose: (raw) => {
            seen.close = { code: raw.code, reason: raw.reason, wasClean: raw.wasClean };
            if (raw.handshake?.status !== undefined) seen.close.status = raw.handshake.status;
            const retryAfter = raw.handshake?.headers?.['retry-after'];
            if (retryAfter !== undefined) seen.close.retryAfter = retryAfter;
            events.emit('change');
          },
          onError: () => {
            seen.errors++;
          },
          onPong: () => {
            seen.pongs++;
            events.emit('change');
          },
        },
      );
      const deadline = AbortSignal.timeout(waitMs);
      const until = async (done: () => boolean) => {
        while (!done() && !seen.close) await once(events, 'change', { signal: deadline });
      };
      try {
        for (const step of steps) {
          if (step.do === 'waitOpen') await until(() => seen.opened !== null);
          else if (step.do === 'send') connection.send(step.text);
          else if (step.do === 'sendBytes') connection.send(new Uint8Array(step.bytes));
          else if (step.do === 'waitMessages') await until(() => seen.messages.length >= step.count);
          else if (step.do === 'close') connection.close(step.code, step.reason);
          else if (step.do === 'terminate') connection.terminate?.();
          else if (step.do === 'ping') connection.ping?.();
          else if (step.do === 'waitPong') await until(() => seen.pongs > 0);
        }
        await until(() => false);
      } catch {
        // the deadline: report what was seen by then
      }
      if (!seen.close) (connection.terminate ?? (() => connection.close()))();
      return seen;
    },
  };
}
