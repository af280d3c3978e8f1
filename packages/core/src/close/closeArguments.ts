import { CloseReasonTooLongError, InvalidCloseCodeError, InvalidCloseReasonError } from '../errors';
import { isSendableCloseCode } from './closeCode';
import { utf8ByteLength } from './utf8';

/** RFC 6455 §5.5: a control frame payload is at most 125 bytes; the code takes 2. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Checks the arguments a client wants to close with, the same way on every platform: the
 * browser's rules (1000 or 3000–4999; reason ≤ 123 UTF-8 bytes) are the strictest, so core
 * applies them before any transport sees the call. Throws `InvalidCloseCodeError`,
 * `InvalidCloseReasonError` or `CloseReasonTooLongError`.
 */
export function assertCloseArguments(code: unknown, reason: unknown): void {
  if (!isSendableCloseCode(code)) throw new InvalidCloseCodeError(code);
  if (typeof reason !== 'string') throw new InvalidCloseReasonError(reason);
  const bytes = utf8ByteLength(reason);
  if (bytes > MAX_CLOSE_REASON_BYTES) throw new CloseReasonTooLongError(reason, bytes);
}
