import type { TransportConnection } from '../transport';

export function safely(work: () => void): void {
  try {
    work();
  } catch {
    // A transport that throws while closing is already gone; the deadlines finish the job.
  }
}

/**
 * Ends a connection: at once where the transport can (terminate), else with a close frame. With
 * `say`, the server hears the code (a client moving on, not a lost link) without the client
 * waiting for its answer: the transport's leave() where it has one (the frame goes after what
 * is still being written), else the close frame and then, where it can, terminate.
 */
export function endConnection(connection: TransportConnection, code?: number, reason?: string, say?: boolean): void {
  if (say && connection.leave) {
    safely(() => connection.leave?.(code ?? 1000, reason ?? ''));
    return;
  }
  if (!connection.terminate || say) safely(() => connection.close(code, reason));
  if (connection.terminate) safely(() => connection.terminate?.());
}
