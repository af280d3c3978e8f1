import * as z from 'zod/mini';
import { MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS } from './retryAfter';

/** What the connection was doing when it ended. */
export const closePhases = ['connecting', 'open', 'closing'] as const;
export type ClosePhase = (typeof closePhases)[number];

/**
 * Who ended it: `client` (the app called close), `server` (a close frame arrived first),
 * `transport` (the link died: 1006, refused, reset), `heartbeat` (resock found the peer dead),
 * `timeout` (resock's connect or close deadline ran out).
 */
export const closeInitiators = ['client', 'server', 'transport', 'heartbeat', 'timeout'] as const;
export type CloseInitiator = (typeof closeInitiators)[number];

const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

/**
 * The one shape every close takes in resock, on every platform. The schema is the single
 * source of the `CloseRecord` type. `zod/mini` because this module reaches browser bundles.
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

export type CloseRecord = z.infer<typeof closeRecordSchema>;
