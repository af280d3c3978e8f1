import { createInterface } from 'node:readline';
import {
  type Client,
  type CloseRecord,
  describeCloseCode,
  type Transport,
  type TransportConnection,
} from '@resock/core';
import { createClient } from '../createClient';
import { nodeTransport } from '../nodeTransport';
import { cliQueue, DRAIN_STALL_MS, linePump } from './linePump';
import { loadPolicy, UsageError } from './policyCommands';
import { jsonLine, printable } from './printable';

export interface ConnectArgs {
  url: string;
  policy?: string;
  headers: string[];
  protocols: string[];
  heartbeatMs?: number;
  json: boolean;
}

/** Exit statuses of `resock connect`. */
export const exitCodes = { closed: 0, error: 1, usage: 2, gaveUp: 3 } as const;

/**
 * `resock connect <url>`: stdin lines go out as messages; messages come out on stdout, one per
 * line; lifecycle lines go to stderr (or everything as JSON lines on stdout with --json).
 * Exits 0 when stdin ends (once every line has gone out and the close was clean) or on Ctrl-C
 * (after a 1000 close; lines not sent yet are reported as dropped); 1 when lines may be lost: a
 * connection they went out on ended without a clean close (a Ctrl-C while the session drains or
 * closes cuts it), or nothing left the process for DRAIN_STALL_MS; 3 when the policy gives up.
 * Messages that arrive until the close is done are printed; a reader that goes away
 * (`| head -1`) ends the session as Ctrl-C does. stdin is read only as fast as there is room
 * for its lines (linePump): none is dropped because the queue is full.
 */
export async function connect(args: ConnectArgs): Promise<number> {
  const headers: Record<string, string> = {};
  for (const [i, header] of args.headers.entries()) {
    const at = header.indexOf(':');
    // Not quoted: its value may be a token.
    if (at <= 0)
      throw new UsageError(`--header expects "name: value" (the header #${i + 1} given has no name and ":")`);
    const name = header.slice(0, at).trim();
    // Names are case-insensitive: a second one would silently replace the first (one value per
    // name is all that reaches the request). A list header's values go in one, comma-separated.
    if (Object.keys(headers).some((given) => given.toLowerCase() === name.toLowerCase()))
      throw new UsageError(`--header ${name} given twice (join its values with ", " in one)`);
    headers[name] = header.slice(at + 1).trim();
  }
  const policy = args.policy ? await loadPolicy(args.policy) : undefined;
  // The live connection, kept so that a Ctrl-C while the session drains or closes can cut it.
  let connection: TransportConnection | undefined;
  const ws = nodeTransport({ headers });
  const transport: Transport = {
    ...ws,
    connect(request, handlers) {
      connection = ws.connect(request, handlers);
      return connection;
    },
  };
  const client = createClient({
    url: args.url,
    protocols: args.protocols,
    transport,
    // Refused, not dropped, when full: the line pump then stops reading stdin until there is room.
    queue: cliQueue,
    ...(policy ? { policy } : {}),
    // Without --heartbeat, the package's default heartbeat (on for Node).
    ...(args.heartbeatMs === undefined
      ? {}
      : {
          heartbeat:
            args.heartbeatMs === 0
              ? false
              : { intervalMs: args.heartbeatMs, timeoutMs: Math.min(args.heartbeatMs, 10_000) },
        }),
  });
  const report = reporter(args.json);
  const { unwire, unwireMessages } = wire(client, report);
  report('connecting', { url: client.url });

  return new Promise<number>((resolve) => {
    // crlfDelay: a CRLF whose \n comes in a later read (a slow pipe, ssh) ends one line, not two.
    const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let finishing = false;
    const lines = linePump(client, input, {
      queued: (line) => report('queued', { data: line }),
      full: ({ limit }, line) =>
        report(
          'waiting',
          { limit },
          Buffer.byteLength(line) > cliQueue.maxBytes
            ? 'a line larger than the queue (maxBytes) waits for the next open; stdin with it'
            : `the queue is full (${limit}): stdin is read again after the next open`,
        ),
      stalled: () => {
        const message = `nothing has left the process for ${DRAIN_STALL_MS / 1000} s: ending the session`;
        report('error', { message }, message);
        void finish(exitCodes.error);
      },
    });
    // Lines that went out on a connection that then ended without a clean close may be lost (ws
    // had them, or the kernel): the first such close, said at the end. Counted per connection,
    // by the messages sent since the last one ended.
    let sentBefore = 0;
    let cutShort: CloseRecord | undefined;
    const offLosses = client.on('close', (record) => {
      const carried = client.stats.messagesSent > sentBefore;
      sentBefore = client.stats.messagesSent;
      if (carried && !record.wasClean && !finishing) cutShort ??= record;
    });
    let interrupted = false;
    const finish = async (code: number, stdinEnded = false) => {
      // Closing readline below ends stdin, which would call this again with another status.
      if (finishing) return;
      finishing = true;
      const unsent = lines.stop();
      input.close();
      process.stdin.destroy();
      // Every line was sent: wait until they have left the process before the close frame (ws
      // would cut what is still buffered), still reporting what happens; Ctrl-C cuts it short.
      // Lines on a connection that then ends, or is not closed cleanly, may be lost: say so.
      const atRisk = client.state === 'open' && client.stats.messagesSent > sentBefore;
      if (atRisk && stdinEnded) await drained(client, () => interrupted);
      const ended = atRisk && client.state !== 'open';
      unwire(); // the CLI's own close at the end is not news; replies until it is done still are
      // Lines still queued, then those stdin had given that were waiting for room (Ctrl-C before
      // they could go out) are said to be lost, not lost silently.
      for (const data of [...client.takeQueued(), ...unsent])
        report('dropped', { data, reason: 'closed' }, droppedText(data, 'closed'));
      const record = await client.close();
      unwireMessages();
      offLosses();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      const lastCut = (atRisk || interrupted) && !(record.wasClean && !ended);
      // The policy giving up (3) says more than a loss would.
      if (code === exitCodes.gaveUp || !(lastCut || cutShort)) return resolve(code);
      const message = interrupted
        ? 'interrupted: what was still leaving may not have arrived'
        : lastCut
          ? 'the close was not clean: the last lines may not have arrived'
          : `a connection ended without a clean close (${describeCloseCode((cutShort as CloseRecord).code)}) after lines went out on it: the last lines may not have arrived`;
      report('error', { message }, message);
      resolve(exitCodes.error);
    };
    // Ctrl-C ends the session with a close; pressed again while it drains or closes (a close frame
    // waits behind what is still leaving, on a slow link for long), it cuts the connection.
    const interrupt = () => {
      if (!finishing) return void finish(exitCodes.closed);
      interrupted = true;
      connection?.terminate?.();
    };
    process.on('SIGINT', interrupt);
    // SIGTERM (a service manager, `docker stop`, `kill`) is asked to end, as Ctrl-C is: a 1000
    // close, not a dropped TCP connection the server sees as 1006.
    process.on('SIGTERM', interrupt);
    // A reader that has gone (`| head -1`) ends the session as Ctrl-C does, not with a crash.
    const readerGone = () => void finish(exitCodes.closed);
    process.stdout.on('error', readerGone);
    process.stderr.on('error', readerGone);
    input.on('line', (line) => lines.push(line));
    // stdin ended: once every line is the client's, those sent while connecting are still queued;
    // they go out with the next open (flushed before the open event), then the session ends. The
    // policy giving up ends it too.
    input.on('close', () => {
      void lines.idle().then(() => {
        if (client.stats.messagesQueued === 0) void finish(exitCodes.closed, true);
        else client.once('open', () => void finish(exitCodes.closed, true));
      });
    });
    client.on('failed', () => void finish(exitCodes.gaveUp));
  });
}

/**
 * Until what was sent has left the process, the connection ends, `stop()` says so, or nothing
 * has moved for DRAIN_STALL_MS — unlike the transport's own wait before the close frame, with
 * no cap on the time a moving link takes. Polled: neither ws nor a WebSocket tells when its
 * buffer is empty.
 */
async function drained(client: Client, stop: () => boolean): Promise<void> {
  let least = Number.POSITIVE_INFINITY;
  // The monotonic clock: a wall clock set back must not stretch the stall.
  let movedAt = performance.now();
  while (
    client.state === 'open' &&
    client.bufferedAmount > 0 &&
    !stop() &&
    performance.now() - movedAt < DRAIN_STALL_MS
  ) {
    if (client.bufferedAmount < least) {
      least = client.bufferedAmount;
      movedAt = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Report = (type: string, fields: Record<string, unknown>, text?: string) => void;

function reporter(json: boolean): Report {
  // Once a reader has gone (`| head -1`), the session ends: nothing more is written there.
  const out = (line: string) => process.stdout.writable && process.stdout.write(line);
  if (json) return (type, fields) => out(`${jsonLine({ type, at: new Date().toISOString(), ...fields })}\n`);
  return (type, fields, text) => {
    if (type === 'message') {
      // Binary as `<binary N bytes>`, never "undefined". On a terminal, a server's escape
      // sequences are shown, not run; piped, the text is passed on exactly.
      out(`${process.stdout.isTTY ? printable(text ?? '') : text}\n`);
      return;
    }
    const time = new Date().toISOString().slice(11, 23);
    // Lifecycle lines carry a policy file's rule names and explanations: shown, one line each.
    if (process.stderr.writable)
      process.stderr.write(`[${time}] ${type.padEnd(12)} ${printable(text ?? JSON.stringify(fields))}\n`);
  };
}

function describe(record: CloseRecord): string {
  const status = record.handshake?.status ? ` HTTP ${record.handshake.status}` : '';
  const error = record.error ? ` error=${JSON.stringify(record.error.message)}` : '';
  return `${describeCloseCode(record.code)}${status} reason=${JSON.stringify(record.reason)} wasClean=${record.wasClean} phase=${record.phase} initiator=${record.initiator}${error}`;
}

/** The CLI's report of the client's events; messages are let go of separately, after the close. */
function wire(client: Client, report: Report) {
  const offMessages = client.on('message', (data) => {
    const text = typeof data === 'string' ? data : `<binary ${(data as Uint8Array).byteLength} bytes>`;
    report(
      'message',
      typeof data === 'string' ? { data } : { binary: Buffer.from(data as Uint8Array).toString('base64') },
      text,
    );
  });
  const offs = [
    client.on('open', ({ url, protocol, attempt }) =>
      report('open', { url, protocol, attempt }, `${url} attempt ${attempt}${protocol ? ` protocol ${protocol}` : ''}`),
    ),
    client.on('close', (record) => report('close', { record }, describe(record))),
    client.on('reconnecting', ({ attempt, delayMs, action, rule }) =>
      report(
        'reconnecting',
        { attempt, delayMs, action, rule },
        `${action} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt}, rule ${rule})`,
      ),
    ),
    client.on('failed', ({ reason, decision }) =>
      report(
        'failed',
        { reason, rule: decision.rule, explanation: decision.explanation },
        `gave up (${reason}, rule ${decision.rule}): ${decision.explanation}`,
      ),
    ),
    client.on('dropped', ({ data, reason }) => report('dropped', { data, reason }, droppedText(data, reason))),
    client.on('error', (error) => report('error', { name: error.name, message: error.message }, error.message)),
  ];
  return {
    unwire() {
      for (const off of offs) off();
    },
    unwireMessages: offMessages,
  };
}

function droppedText(data: unknown, reason: string): string {
  return `a message was dropped (${reason}): ${JSON.stringify(data)}`;
}
