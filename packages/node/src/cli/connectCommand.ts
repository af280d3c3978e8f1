import { createInterface } from 'node:readline';
import { type Client, type CloseRecord, describeCloseCode, describeRecord } from '@resock/core';
import { createClient } from '../createClient';
import { nodeTransport } from '../nodeTransport';
import { type Delivery, trackDelivery } from './delivery';
import { cliQueue, DRAIN_STALL_MS, linePump, stallWatch } from './linePump';
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
 * Exits 0 when stdin ends (once the server has confirmed every line, and the close is done) or
 * on Ctrl-C (a 1000 close), with nothing lost; 1 when lines were dropped (not sent yet at
 * Ctrl-C) or may be lost: a connection they went out on ended before the server confirmed them
 * (see delivery.ts; a Ctrl-C while the last lines wait cuts it), or nothing moved for
 * DRAIN_STALL_MS; 3 when the policy gives up.
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
  // Which lines the server has surely read (pongs), and the live connection, to cut it at Ctrl-C.
  const delivery = trackDelivery(nodeTransport({ headers }));
  const client = createClient({
    url: args.url,
    protocols: args.protocols,
    transport: delivery.transport,
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
    let interrupted = false;
    /** Lines reported dropped: lost for sure. */
    let dropped = 0;
    /** The first connection that ended with lines not proved delivered, and how many in all. */
    let cut: CloseRecord | undefined;
    let unconfirmed = 0;
    /** A second Ctrl-C cut a connection with lines not yet proved delivered. */
    let cutByInterrupt = false;
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
        // A peer that does not read would never take a close frame queued behind the backlog
        // either (a polite close would wait out its deadline, longer while the peer still talks).
        delivery.connection()?.terminate?.();
        void finish(exitCodes.error);
      },
      // All quiet: have what was sent confirmed now, so a drop hours later loses nothing.
      idle: () => delivery.hint(),
      moved: () => delivery.uploaded(),
      inFlight: () => delivery.unconfirmed(),
      proved: () => delivery.next(),
    });
    const offDropped = client.on('dropped', () => void dropped++);
    // A connection that ended before a pong proved its last lines read (a clean close the client
    // began proves it too) may have lost them: said at once, and in the exit status.
    const offCut = client.on('close', (record) => {
      const lost = delivery.ended(record);
      if (lost === 0) return;
      unconfirmed += lost;
      cut ??= record;
      if (interrupted) cutByInterrupt = true;
      const message = `${lost} line${lost === 1 ? '' : 's'} sent on that connection may not have arrived (the server had not confirmed ${lost === 1 ? 'it' : 'them'})`;
      report('unconfirmed', { lines: lost }, message);
    });
    const finish = async (code: number, stdinEnded = false) => {
      // Closing readline below ends stdin, which would call this again with another status.
      if (finishing) return;
      finishing = true;
      const unsent = lines.stop();
      input.close();
      process.stdin.destroy();
      // Every line was sent: wait until the server has confirmed them all (a pong), so the close
      // frame cuts nothing; Ctrl-C cuts the wait short.
      const waiting = stdinEnded ? delivery.unconfirmed() : 0;
      if (waiting > 0) {
        report(
          'confirming',
          { lines: waiting },
          `stdin ended: waiting for the server to confirm the last ${waiting === 1 ? 'line' : `${waiting} lines`}`,
        );
        if (!(await confirmed(delivery, () => interrupted))) {
          const message = `no answer and nothing sent for ${DRAIN_STALL_MS / 1000} s: closing (a clean close still proves the lines arrived)`;
          report('confirming', { lines: delivery.unconfirmed(), gaveUp: true }, message);
        }
      }
      unwire(); // the CLI's own close at the end is not news; replies until it is done still are
      // Lines still queued, then those stdin had given that were waiting for room (Ctrl-C before
      // they could go out) are said to be lost, not lost silently.
      for (const data of [...client.takeQueued(), ...unsent]) {
        dropped++;
        report('dropped', { data, reason: 'closed' }, droppedText(data, 'closed'));
      }
      await client.close();
      unwireMessages();
      offDropped();
      offCut();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      // The policy giving up (3) says more than a loss would.
      if (code === exitCodes.gaveUp || (!cut && dropped === 0)) return resolve(code);
      const message = cut
        ? cutByInterrupt
          ? 'interrupted: what was still leaving may not have arrived'
          : `the last lines may not have arrived: ${unconfirmed} went out on connections that ended before the server confirmed them (the first: ${describeCloseCode(cut.code)})`
        : `${dropped} line${dropped === 1 ? ' was' : 's were'} dropped, not sent`;
      report('error', { message }, message);
      resolve(exitCodes.error);
    };
    // Ctrl-C ends the session with a close; pressed again while it drains or closes (a close frame
    // waits behind what is still leaving, on a slow link for long), it cuts the connection.
    const interrupt = () => {
      if (!finishing) return void finish(exitCodes.closed);
      interrupted = true;
      delivery.connection()?.terminate?.();
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
 * Until the server has confirmed every line sent on the live connection, the connection ends,
 * `stop()` says so (true), or the upload has not moved for DRAIN_STALL_MS (false): once the
 * lines are all in the kernel, a slow link drains them unseen (4–5 MB here: 10 s at
 * 400–500 KB/s), and a dead peer looks the same. Polled besides the pong: the upload's movement
 * is read, not told; what the server sends does not count.
 */
async function confirmed(delivery: Delivery, stop: () => boolean): Promise<boolean> {
  const stalled = stallWatch(() => delivery.uploaded());
  while (delivery.unconfirmed() > 0 && !stop()) {
    if (stalled()) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([delivery.confirm(), new Promise((resolve) => (timer = setTimeout(resolve, 50)))]);
    clearTimeout(timer);
  }
  return true;
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
    client.on('close', (record) => report('close', { record }, describeRecord(record))),
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
