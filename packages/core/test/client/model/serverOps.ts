/**
 * Operations of the server and the transport: handshakes answered, messages and acks sent,
 * closes, failures, a link that stalls or trickles, scripted transport tricks, and stale
 * callbacks of connections the client has let go of (which must change nothing).
 */
import type { FakeConnection } from '@resock/core/testing';
import { unchanged } from './appCalls';
import { SECRET_URL } from './modelConfig';
import type { OpHandlers } from './modelOps';
import { type Dial, fail, type World } from './modelState';
import { scanWire } from './wireChecks';

/**
 * Acts on the newest connection when `when` holds; on one the client has let go of, the act
 * must change nothing.
 */
function onNewest(
  world: World,
  what: string,
  when: (conn: FakeConnection) => boolean,
  act: (conn: FakeConnection, letGo: boolean) => void,
): void {
  const last = world.current();
  if (!last || !when(last)) return;
  if (world.newestLetGo()) unchanged(world, `${what} of a let-go connection`, () => act(last, true));
  else act(last, false);
}

const connecting = (conn: FakeConnection) => conn.state === 'connecting';
const notClosed = (conn: FakeConnection) => conn.state !== 'closed';

/** The server speaks on the newest open connection the client still listens to. */
function serverSays(world: World, text: string): void {
  const last = world.current();
  if (last?.state !== 'open' || world.newestLetGo()) return;
  world.serverSays(last, text);
}

function accept(world: World): void {
  const last = world.current();
  if (last?.state !== 'connecting') return;
  const index = world.newest;
  const owed = world.owed().map((m) => m.text);
  const pending = world.pendingMsgs().map((m) => m.text);
  const refusing = world.refusing.has(index);
  if (refusing && owed.length + pending.length > 0) world.noteRefusal(index);
  if (world.newestLetGo()) {
    unchanged(world, 'accept of a let-go connection', () => last.accept());
    return;
  }
  world.noteOwedAtOpen();
  // A blip: the socket refuses writes while the client opens on it, then takes them again.
  const blip = world.blipped.has(last) && !refusing;
  if (blip) {
    last.refuseSends(true);
    world.refusing.add(index);
  }
  const runs = world.inWriteRuns;
  last.accept();
  if (blip) {
    last.refuseSends(false);
    world.refusing.delete(index);
  }
  scanWire(world);
  if (!refusing && !blip && world.client.state === 'open' && last === world.current()) {
    // Reliable: every unacked message again, in order, before anything new; then the rest.
    // (App code run inside a write may have taken some out meanwhile: told, replaced, taken back.)
    const gone = (text: string) => {
      const m = world.byText.get(text);
      return world.inWriteRuns !== runs && !!m && !m.writes.includes(index) && !!(m.dropped || m.taken || m.replaced);
    };
    const expected = [...owed, ...pending].filter((text) => !gone(text));
    const got = last.sent.slice(0, expected.length);
    if (JSON.stringify(got) !== JSON.stringify(expected))
      fail(`on open sent ${JSON.stringify(last.sent)}, expected ${JSON.stringify(expected)} first`);
    if (world.client.stats.messagesQueued !== 0) fail('still queued after an open');
  }
}

/** A callback from a connection the client has let go of: it must change nothing. */
function stale(world: World, op: { pick: number; what: 'open' | 'message' | 'close' | 'error' | 'pong' }): void {
  const candidates = world.dials.map((_, i) => i).filter((i) => world.isLetGo(i));
  if (candidates.length === 0) return;
  const index = candidates[op.pick % candidates.length] as number;
  const { handlers } = world.dials[index] as Dial;
  unchanged(world, `stale ${op.what} of connection ${index}`, () => {
    if (op.what === 'open') handlers.onOpen({ protocol: '', extensions: '' });
    else if (op.what === 'message')
      handlers.onMessage(JSON.stringify({ ack: world.msgs.find((m) => m.id !== undefined)?.id ?? 1 }));
    else if (op.what === 'close') handlers.onClose({ code: 1000, reason: 'late', wasClean: true });
    else if (op.what === 'error') handlers.onError(new Error('late'));
    else handlers.onPong?.();
  });
}

export const serverOps = {
  accept,
  stale,
  serverMessage: (world, op) => serverSays(world, op.text),
  pongMsg: (world) => serverSays(world, 'pong'),
  ack(world, op) {
    const tracked = world.msgs.filter((m) => m.id !== undefined);
    // With nothing tracked yet, an ack for an id the client never saw.
    const id = tracked.length > 0 ? tracked[op.pick % tracked.length]?.id : 424242;
    serverSays(world, JSON.stringify({ ack: id }));
  },
  serverClose: (world, op) => onNewest(world, 'close', notClosed, (conn) => conn.serverClose(op.code, op.reason)),
  reject(world, op) {
    const headers: Record<string, string> = {};
    if (op.retryAfter !== undefined) headers['retry-after'] = String(op.retryAfter);
    onNewest(world, 'reject', connecting, (conn) => conn.reject(op.status, headers));
  },
  fail: (world) =>
    onNewest(world, 'fail', connecting, (conn, letGo) =>
      conn.fail(letGo ? undefined : new Error(`getaddrinfo ENOTFOUND ${SECRET_URL}`)),
    ),
  drop: (world) => onNewest(world, 'drop', notClosed, (conn) => conn.drop()),
  transportError(world) {
    const dial = world.dials.at(-1);
    if (!dial?.fake || dial.fake.state === 'closed') return;
    unchanged(world, 'onError', () => dial.handlers.onError(new Error('boom')));
  },
  failNextConnect(world) {
    world.fake.failNextConnect(new Error(`connect EACCES ${SECRET_URL}`));
  },
  refuseSends(world, op) {
    const last = world.current();
    if (!last) return;
    last.refuseSends(op.on);
    if (op.on) world.refusing.add(world.newest);
    else {
      world.refusing.delete(world.newest);
      world.firstRefusal.delete(world.newest);
    }
  },
  goSilent(world) {
    world.current()?.goSilent();
    world.silent.add(world.newest);
  },
  pong(world) {
    const last = world.current();
    if (last?.state !== 'open') return;
    // It answers the probe out; one set off by app code run while what it let out is written
    // (an offline inside a write) is a new one.
    world.probeOut = undefined;
    last.pong();
  },
  moveBytes(world) {
    world.current()?.moveBytes(100);
    world.moved.add(world.newest);
  },
  trickle(world) {
    const last = world.current();
    if (!last) return;
    world.trickling.add(last);
    world.moved.add(world.fake.connections.indexOf(last));
  },
  blip(world) {
    const last = world.current();
    if (last?.state === 'connecting') world.blipped.add(last);
  },
  syncConnect(world, op) {
    world.syncNext = op.what;
  },
  echoOnSend(world) {
    world.echoOnSend = world.dials.at(-1);
  },
  closeOnSend(world) {
    world.closeOnSend = world.dials.at(-1);
  },
} satisfies Partial<OpHandlers<World>>;
