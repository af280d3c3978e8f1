/**
 * deliver(): the model sends some messages with it (sendCall.ts), and holds each promise to what
 * became of its message once the model knows it — and to nothing before.
 */
import { MessageDroppedError } from '@resock/core';
import { fail, type Msg, type World } from './modelState';

/** Sends `msg` with deliver(), noting what its promise settles with in `msg.delivery`. */
export function deliverMsg(world: World, msg: Msg, options: Parameters<World['client']['send']>[1]): void {
  const delivery = { fate: 'pending' };
  msg.delivery = delivery;
  world.client.deliver(msg.text, options).then(
    (fate) => {
      delivery.fate = fate;
    },
    (error: unknown) => {
      delivery.fate = error instanceof MessageDroppedError ? error.reason : `rejected with ${String(error)}`;
    },
  );
}

/** What the promise must have settled with by now (the model's record is read after the wire). */
function fatesOf(msg: Msg): readonly string[] {
  // A copy replaced from inside a write may be evicted by the send being written, told after it.
  if (msg.replaced)
    return [
      'replaced',
      ...(msg.replacedInWrite ? ['overflow'] : []),
      ...(msg.replacedWhilePlacing ? ['aborted', 'expired'] : []),
    ];
  if (msg.taken) return ['taken'];
  if (msg.dropped) return [msg.dropped];
  if (msg.acked) return ['acked'];
  if (msg.id === undefined && msg.writes.length > 0) return ['sent'];
  return ['pending'];
}

/** After each step (its promise callbacks run): every delivery says what the model knows. */
export function checkDeliveries(world: World): void {
  for (const msg of world.msgs) {
    if (!msg.delivery) continue;
    const expected = fatesOf(msg);
    if (!expected.includes(msg.delivery.fate))
      fail(`deliver() of ${msg.k} settled ${msg.delivery.fate}, the model expects ${expected.join(' or ')}`);
  }
}
