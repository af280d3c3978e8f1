/**
 * The fake transport as the client sees it, wrapped so the world records every dial and can
 * play the tricks a real platform plays: calling back inside connect() (a synchronous
 * transport), a server reply or a dropped link inside send() (a loopback, a link that dies
 * mid-write), app code run inside send() (inWriteOps.ts); no message may follow the close frame.
 */
import type { Transport, TransportConnection } from '../../../src/transport';
import { canPing } from './modelConfig';
import type { Dial, World } from './modelState';

export function recordingTransport(world: World): Transport {
  const { fake } = world;
  const fakeConnect = fake.connect.bind(fake);
  return {
    connect: (request, handlers) => {
      const dial: Dial = { handlers, fake: undefined, at: world.clock.now() };
      world.dials.push(dial);
      const before = fake.connections.length;
      const platform = fakeConnect(request, handlers); // may throw (failNextConnect)
      if (fake.connections.length > before) dial.fake = fake.last();
      const index = fake.connections.length - 1;
      const wrapped: TransportConnection = {
        send: (data) => {
          const closing = dial.fake?.closeCall !== undefined;
          platform.send(data);
          // When, and inside which send() call: the send options' checks read it with the wire.
          const log = world.writeLog[index] ?? [];
          world.writeLog[index] = log;
          log.push({ at: world.clock.now(), by: world.sendStack.at(-1) });
          const msg = typeof data === 'string' ? world.byText.get(data) : undefined;
          // No data frame after the client's close frame (RFC 6455 §5.5.1): the peer ignores it.
          if (closing && msg)
            world.asyncViolation ??= `message ${msg.k} written on connection ${index} after the client's close frame`;
          // App code the transport runs once the frame left (an abort listener, a send of its own).
          if (world.inWrite && msg) {
            const { run } = world.inWrite;
            world.inWrite = undefined;
            run(data);
          }
          // (Not on a connection app code run inside this write made the client let go of.)
          if (world.echoOnSend === dial && dial.fake?.state === 'open' && !world.isLetGo(world.dials.indexOf(dial))) {
            world.echoOnSend = undefined;
            // Its own text, so the message event tells which connection it came from.
            const text = `echo ${world.echoes.size + 1}`;
            world.echoes.set(text, dial.fake);
            world.serverSays(dial.fake, text);
          }
          if (world.closeOnSend === dial) {
            world.closeOnSend = undefined;
            dial.fake?.drop();
          }
        },
        close: (code, reason) => platform.close(code, reason),
        get bufferedAmount() {
          return platform.bufferedAmount ?? 0;
        },
        get progress() {
          return platform.progress ?? 0;
        },
      };
      const { terminate, ping } = platform;
      if (terminate) wrapped.terminate = () => terminate.call(platform);
      if (ping) wrapped.ping = () => ping.call(platform);
      const sync = world.syncNext;
      world.syncNext = undefined;
      if (sync && dial.fake) {
        world.log.push(`   (the transport calls back inside connect: ${sync})`);
        if (sync === 'accept') {
          world.noteOwedAtOpen();
          dial.fake.accept();
        } else if (sync === 'fail') dial.fake.fail();
        else dial.fake.reject(401);
      }
      return wrapped;
    },
    pings: canPing(world.cfg),
  };
}
