/**
 * Reads what each connection wrote since the last look and holds it to the send() contract:
 * send order kept, nothing written twice on a connection, an untracked message written once at
 * most, nothing written after it was acked, dropped, replaced or taken back, and (reliable) the
 * unacked messages go again on a new connection before anything new.
 */
import { fail, isDue, isOutstanding, type Msg, type World, type WriteInfo } from './modelState';
import { checkOptionWrite } from './optionChecks';

/** Reads what went out since the last call; with `upTo`, stops before that message. */
export function scanWire(world: World, upTo?: string): void {
  world.fake.connections.forEach((conn, index) => {
    const from = world.scanned[index] ?? 0;
    let lastK = -1;
    let i = 0;
    for (; i < conn.sent.length; i++) {
      const text = conn.sent[i];
      if (text === upTo && i >= from) break;
      if (typeof text !== 'string') fail('a non-string on the wire');
      if (text === 'ping' && world.cfg.heartbeat && world.cfg.appPing) continue; // heartbeat traffic
      const msg = world.byText.get(text);
      if (!msg) fail(`unknown message on the wire: ${text}`);
      if (msg.k === lastK) fail(`connection ${index}: message ${msg.k} written twice in a row`);
      if (msg.k < lastK) fail(`connection ${index}: message ${msg.k} after ${lastK} (send order)`);
      lastK = msg.k;
      if (i >= from) noteWrite(world, msg, index, world.writeLog[index]?.[i]);
      // A write that passed after a refusal (a blip is over): the client ends that close deadline.
      if (i >= (world.refusalMark.get(index) ?? Number.POSITIVE_INFINITY)) {
        world.firstRefusal.delete(index);
        world.refusalMark.delete(index);
      }
    }
    world.scanned[index] = i;
  });
}

/** Checks and records one write seen for the first time. */
function noteWrite(world: World, msg: Msg, index: number, write: WriteInfo | undefined): void {
  world.totalWrites++;
  if (msg.dropped || msg.acked || msg.replaced || msg.taken)
    fail(`message ${msg.k} written after it was accounted for (${JSON.stringify(msg)})`);
  checkOptionWrite(world, msg, write);
  if (msg.writes.includes(index)) fail(`message ${msg.k} written twice on connection ${index}`);
  if (msg.id === undefined && msg.writes.length > 0) fail(`untracked message ${msg.k} sent twice`);
  const owed = world.owedAtOpen.get(index);
  if (owed && !owed.includes(msg.k)) {
    // Reliable: what the last connections may have swallowed goes again before anything new.
    for (const k of owed) {
      const o = world.msgs.find((m) => m.k === k) as Msg;
      // (One whose ttlMs is up by then, or whose signal the app aborted meanwhile — from inside
      // a write — was taken out, its event perhaps not told yet.)
      const aborted = o.signal !== undefined && world.controllers[o.signal]?.aborted === true;
      // (Nor one this message replaced under its id: its send() is under way — a listener it
      // set off opened the connection — and marks the old copy replaced only when it returns.)
      const replacedByIt = msg.id === o.id && msg.k > o.k && world.sendStack.includes(msg.k);
      if (
        isOutstanding(o) &&
        !o.writes.includes(index) &&
        !isDue(o, write?.at ?? Number.NaN) &&
        !aborted &&
        !replacedByIt
      )
        fail(`connection ${index}: message ${msg.k} written before the unacked ${k} was sent again`);
    }
  }
  if (msg.writes.length === 0) {
    if (msg.k < world.lastFirstWrite) fail(`message ${msg.k} first written after ${world.lastFirstWrite} (send order)`);
    world.lastFirstWrite = msg.k;
  }
  msg.writes.push(index);
}
