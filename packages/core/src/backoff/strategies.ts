import { InvalidPolicyError } from '../errors';
import {
  type Backoff,
  type BackoffInput,
  type ConstantBackoff,
  type ConstantBackoffOptions,
  type ExponentialBackoff,
  type ExponentialBackoffOptions,
  type LinearBackoff,
  type LinearBackoffOptions,
  resolveBackoff,
} from './backoffSpec';

function build(type: BackoffInput['type'], options: object): Backoff {
  // `constant(500)` spread to nothing, and gave the defaults without a word.
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidPolicyError([
      {
        path: type,
        message: `expected an options object, e.g. ${type}({ ${type === 'constant' ? 'delayMs' : 'initialDelayMs'}: 500 })`,
      },
    ]);
  const result = resolveBackoff({ type, ...options } as BackoffInput);
  if (!result.ok) throw new InvalidPolicyError(result.problems);
  return result.backoff;
}

/**
 * `initialDelayMs × factor^(attempt−1)`, capped at `maxDelayMs`, then jittered.
 * Defaults: 1 s, ×2, cap 30 s, full jitter. Throws `InvalidPolicyError` on bad options.
 */
export function exponential(options: ExponentialBackoffOptions = {}): ExponentialBackoff {
  return build('exponential', options) as ExponentialBackoff;
}

/** The same delay every time, plus uniform [0, jitterMs]. Defaults: 1 s, no jitter. */
export function constant(options: ConstantBackoffOptions = {}): ConstantBackoff {
  return build('constant', options) as ConstantBackoff;
}

/** `initialDelayMs + stepMs × (attempt−1)`, capped. Defaults: 1 s, +1 s, cap 30 s. */
export function linear(options: LinearBackoffOptions = {}): LinearBackoff {
  return build('linear', options) as LinearBackoff;
}

/** gRPC's connection back-off: 1 s, ×1.6, ±20 %, cap 120 s (each overridable). */
export function grpc(options: ExponentialBackoffOptions = {}): ExponentialBackoff {
  return build('grpc', options) as ExponentialBackoff;
}
