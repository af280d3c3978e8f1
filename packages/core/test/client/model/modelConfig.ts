/**
 * The client setups the model test draws, and the options each one makes: every feature that
 * changes what the client owes the app (reliable delivery, heartbeats, a queue with limits,
 * policy limits, hooks that fail or hang, inbound schemas) is switched on and off at random.
 */
import type { ClientEnvironment, ClientOptions, Clock, ReliableOptions, Transport } from '@resock/core';
import { seededRandom } from '@resock/core/testing';
import fc from 'fast-check';

export interface Config {
  reliable: boolean;
  heartbeat: boolean;
  /** With heartbeat: an app-level ping message. */
  appPing: boolean;
  /** The transport has protocol pings too (ws), which the app's message goes instead of. */
  protocolPings: boolean;
  terminate: boolean;
  lazy: boolean;
  pauseWhenHidden: boolean;
  preset: 'default' | 'persistent';
  refresh: 'none' | 'ok' | 'reject' | 'hang' | 'sync';
  urlMode: 'string' | 'sync' | 'async';
  queue: { maxMessages: number; maxBytes: number; overflow: 'drop-oldest' | 'drop-newest' | 'reject' } | undefined;
  stableAfterMs: number;
  closeTimeoutMs: number;
  /** idleTimeoutMs: 0 (off), or a quiet connection is closed and the client goes back to idle. */
  idleTimeoutMs: number;
  /** maxConnectionAgeMs: 0 (off), or an open connection moves to a new one before this age. */
  maxConnectionAgeMs: number;
  seed: number;
  /** Policy limits and app rules on top of the preset. */
  limits: 'none' | 'maxAttempts' | 'maxElapsed' | 'rules';
  /** How inbound messages are handled: straight through, isReady, a sync or an async schema. */
  inbound: 'plain' | 'ready' | 'syncSchema' | 'asyncSchema';
  signal: boolean;
}

/** Whether the transport sends protocol pings: a browser's cannot; ws can, and a heartbeat.message goes instead. */
export const canPing = (cfg: Config): boolean => !(cfg.heartbeat && cfg.appPing) || cfg.protocolPings;

// Repeated values in constantFrom weight the draw toward the plain setups.
export const configArb: fc.Arbitrary<Config> = fc
  .record({
    reliable: fc.boolean(),
    heartbeat: fc.boolean(),
    appPing: fc.boolean(),
    protocolPings: fc.boolean(),
    terminate: fc.boolean(),
    lazy: fc.boolean(),
    pauseWhenHidden: fc.boolean(),
    preset: fc.constantFrom('default' as const, 'persistent' as const),
    refresh: fc.constantFrom('none' as const, 'ok' as const, 'reject' as const, 'hang' as const, 'sync' as const),
    urlMode: fc.constantFrom('string' as const, 'sync' as const, 'async' as const),
    queue: fc.option(
      fc.record({
        maxMessages: fc.integer({ min: 0, max: 6 }),
        maxBytes: fc.constantFrom(60, 200, 100_000),
        overflow: fc.constantFrom('drop-oldest' as const, 'drop-newest' as const, 'reject' as const),
      }),
      { nil: undefined },
    ),
    stableAfterMs: fc.constantFrom(0, 5000),
    closeTimeoutMs: fc.constantFrom(1000, 3000),
    idleTimeoutMs: fc.constantFrom(0, 0, 0, 2000),
    maxConnectionAgeMs: fc.constantFrom(0, 0, 0, 7000),
    seed: fc.nat(),
    limits: fc.constantFrom(
      'none' as const,
      'none' as const,
      'maxAttempts' as const,
      'maxElapsed' as const,
      'rules' as const,
    ),
    inbound: fc.constantFrom(
      'plain' as const,
      'plain' as const,
      'ready' as const,
      'syncSchema' as const,
      'asyncSchema' as const,
    ),
    signal: fc.boolean(),
  })
  // Reliable delivery needs room for one message (an options error otherwise: options.test.ts).
  .map((cfg) =>
    cfg.reliable && cfg.queue?.maxMessages === 0 ? { ...cfg, queue: { ...cfg.queue, maxMessages: 1 } } : cfg,
  );

/** The token in the URL: no event, record, error or client.url may show it. */
export const SECRET_URL = 'wss://api.example.test/socket?token=s3cret';

/** Tracked messages are JSON with an `id`; the server acknowledges with `{"ack": id}`. */
const reliable: ReliableOptions = {
  id: (message) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming) => {
    if (typeof incoming !== 'string') return undefined;
    try {
      return (JSON.parse(incoming) as { ack?: number }).ack;
    } catch {
      return undefined;
    }
  },
};

function refreshHook(mode: Config['refresh']): NonNullable<ClientOptions['refresh']> {
  if (mode === 'ok') return async () => undefined;
  if (mode === 'sync') return () => undefined;
  if (mode === 'reject')
    return async () => {
      throw new Error('no token');
    };
  // A hook that never settles: the client must still close and obey its deadlines.
  return () => new Promise<void>(() => undefined);
}

function policyOf(cfg: Config): NonNullable<ClientOptions['policy']> {
  const { preset } = cfg;
  if (cfg.limits === 'maxAttempts') return { preset, maxAttempts: 3 };
  if (cfg.limits === 'maxElapsed') return { preset, maxElapsedMs: 60_000 };
  if (cfg.limits === 'none') return { preset };
  return {
    preset,
    rules: [
      { name: 'app-4000s', codes: ['4000-4099'], action: 'retry', counts: false, minDelayMs: 2000, maxConsecutive: 2 },
      { name: 'app-quick', codes: [4321], action: 'retry', firstDelayMs: [100, 200] },
    ],
  };
}

/** The parts of a client the world owns and watches. */
export interface ClientParts {
  transport: Transport;
  clock: Clock;
  environment: ClientEnvironment;
  signal: AbortSignal;
}

export function clientOptions(cfg: Config, parts: ClientParts): ClientOptions {
  const url =
    cfg.urlMode === 'string' ? SECRET_URL : cfg.urlMode === 'sync' ? () => SECRET_URL : async () => SECRET_URL;
  const options: ClientOptions = {
    url,
    transport: parts.transport,
    clock: parts.clock,
    random: seededRandom(cfg.seed),
    environment: parts.environment,
    policy: policyOf(cfg),
    lazy: cfg.lazy,
    pauseWhenHidden: cfg.pauseWhenHidden,
    stableAfterMs: cfg.stableAfterMs,
    closeTimeoutMs: cfg.closeTimeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    maxConnectionAgeMs: cfg.maxConnectionAgeMs,
  };
  if (cfg.refresh !== 'none') options.refresh = refreshHook(cfg.refresh);
  if (cfg.reliable) options.reliable = reliable;
  if (cfg.heartbeat)
    options.heartbeat = cfg.appPing
      ? { intervalMs: 20_000, timeoutMs: 5000, message: 'ping', isPong: (data) => data === 'pong' }
      : { intervalMs: 20_000, timeoutMs: 5000 };
  if (cfg.queue) options.queue = cfg.queue;
  if (cfg.signal) options.signal = parts.signal;
  if (cfg.inbound === 'ready') options.isReady = (message) => message === '"ready"';
  if (cfg.inbound === 'syncSchema' || cfg.inbound === 'asyncSchema') {
    const async = cfg.inbound === 'asyncSchema';
    // A schema that passes everything through, so only its timing (sync or async) differs.
    options.messages = {
      '~standard': {
        version: 1,
        vendor: 'model',
        validate: (value: unknown) => (async ? Promise.resolve({ value }) : { value }),
      },
    } as never;
    options.isReady = (message) => message === 'ready';
  }
  return options;
}
