import type { ClientStats, CloseRecord, Decision } from '@resock/node';
import { describeCloseCode } from '@resock/node';
import { seconds } from './timeline';

export interface Row {
  record: CloseRecord;
  decision?: Decision;
  closedAt: number;
  backAfterMs?: number;
}

/**
 * The table printed at the end: every close, what the policy decided, and how long it took to
 * come back; then the totals of every client whose closes are in it.
 */
export function summary(rows: readonly Row[], clients: readonly ClientStats[], totalMs: number): string {
  const total = (key: 'attempts' | 'reconnects' | 'messagesSent' | 'messagesReceived' | 'messagesDropped') =>
    clients.reduce((sum, stats) => sum + stats[key], 0);
  const header = ['#', 'close', 'initiator', 'phase', 'clean', 'action', 'delay', 'back after', 'rule'];
  const body = rows.map((row, i) => [
    String(i + 1),
    describeCloseCode(row.record.code) + (row.record.handshake?.status ? ` / HTTP ${row.record.handshake.status}` : ''),
    row.record.initiator,
    row.record.phase,
    String(row.record.wasClean),
    row.decision?.action ?? '—',
    row.decision && row.decision.action !== 'stop' ? seconds(row.decision.delayMs) : '—',
    row.backAfterMs === undefined ? '—' : seconds(row.backAfterMs),
    row.decision?.rule ?? '—',
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...body.map((r) => (r[col] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    format(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...body.map(format),
    '',
    `${clients.length === 1 ? '' : `${clients.length} clients: `}${total('attempts')} connection attempts, ` +
      `${total('reconnects')} reconnects, ${total('messagesSent')} messages sent, ${total('messagesReceived')} received, ` +
      `${total('messagesDropped')} dropped, ${seconds(totalMs)} in all.`,
  ].join('\n');
}
