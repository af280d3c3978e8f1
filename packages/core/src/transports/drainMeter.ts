/**
 * Turns a transport's byte counters into `TransportConnection.progress`: bytes received, plus
 * bytes the network took from the sender's backlog. Bytes taken while nothing waited do not
 * count: with room in its buffers the kernel takes bytes for a dead peer too; once a backlog
 * waits, those buffers were full, and what leaves them now was acknowledged. Read at deadlines
 * only, so it costs nothing per message.
 */
export function drainMeter(): (received: number, taken: number, backlog: number) => number {
  let lastTaken = 0;
  let lastBacklog = 0;
  let moved = 0;
  return (received, taken, backlog) => {
    if (lastBacklog > 0 && taken > lastTaken) moved += taken - lastTaken;
    lastTaken = taken;
    lastBacklog = backlog;
    return received + moved;
  };
}
