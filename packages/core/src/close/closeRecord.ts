import * as z from 'zod/mini';
import { closeInitiators, closePhases } from './closeVocabulary';
import { MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS } from './retryAfter';

export { type CloseInitiator, type ClosePhase, closeInitiators, closePhases } from './closeVocabulary';

const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

/**
 * The one shape every close takes in resock, on every platform. The schema is the single
 * source of the `CloseRecord` type, and the contract `normalizeClose` is tested against (on
 * fuzzed input). The runtime builds records valid by construction instead of re-parsing them,
 * so browser bundles that never import this schema carry none of zod (its engine alone is
 * ~5 KB gzipped of a 9 KB budget); `zod/mini` for those that do.
 */
export const closeRecordSchema = z.strictObject({
  /** 0–65535: what the platform reported (1005/1006 are made up locally, never sent). */
  code: int(0, 65535),
  /** The UTF-8 decoded reason; '' when none. Log it, never show it to end users (RFC 6455). */
  reason: z.string(),
  /** RFC 6455 §7.1.4: the closing handshake completed before TCP closed. */
  wasClean: z.boolean(),
  phase: z.enum(closePhases),
  initiator: z.enum(closeInitiators),
  /** True when resock made up or completed the record (deadline, malformed input, no close event). */
  synthetic: z.boolean(),
  /** Present when the handshake got an HTTP answer other than 101 (only Node's `ws` sees it). */
  handshake: z.optional(
    z.strictObject({
      status: z.optional(int(100, 599)),
      /** `Retry-After`, clamped to 1 s – 10 min so a server can neither park nor spin us. */
      retryAfterMs: z.optional(int(MIN_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS)),
    }),
  ),
  /** The transport's error, when it gave one (`ECONNREFUSED`, `WS_ERR_INVALID_UTF8`, …). */
  error: z.optional(z.strictObject({ name: z.string(), message: z.string(), code: z.optional(z.string()) })),
  /** When the close was seen, in ms since the epoch, from the injected clock. */
  at: z.number(),
});

/** Frozen, as every record resock makes is: its type says so too. */
export type CloseRecord = Frozen<CloseRecordDraft>;
/** A record while normalizeClose builds it, before it is frozen. */
export type CloseRecordDraft = z.infer<typeof closeRecordSchema>;
type Frozen<T> = { readonly [K in keyof T]: T[K] extends object | undefined ? Frozen<T[K]> : T[K] };
