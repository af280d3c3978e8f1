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

function build(input: BackoffInput): Backoff {
  const result = resolveBackoff(input);
  if (!result.ok) throw new InvalidPolicyError(result.problems);
  return result.backoff;
}

/**
 * `initialDelayMs × factor^(attempt−1)`, capped at `maxDelayMs`, then jittered.
 * Defaults: 1 s, ×2, cap 30 s, full jitter. Throws `InvalidPolicyError` on bad options.
 */
export function exponential(options: ExponentialBackoffOptions = {}): ExponentialBackoff {
  return build({ type: 'exponential', ...options }) as ExponentialBackoff;
}

/** The same delay every time, plus uniform [0, jitterMs]. Defaults: 1 s, no jitter. */
export function constant(options: ConstantBackoffOptions = {}): ConstantBackoff {
  return build({ type: 'constant', ...options }) as ConstantBackoff;
}

/** `initialDelayMs + stepMs × (attempt−1)`, capped. Defaults: 1 s, +1 s, cap 30 s. */
export function linear(options: LinearBackoffOptions = {}): LinearBackoff {
  return build({ type: 'linear', ...options }) as LinearBackoff;
}

/** gRPC's connection back-off: 1 s, ×1.6, ±20 %, cap 120 s (each overridable). */
export function grpc(options: ExponentialBackoffOptions = {}): ExponentialBackoff {
  return build({ type: 'grpc', ...options }) as ExponentialBackoff;
}
