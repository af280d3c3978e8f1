import { systemRandom } from './backoff/jitter';
import type { QueueLimits } from './client/queue';
import { isInsecureRemoteUrl, isSocketUrl } from './client/redactUrl';
import { MAX_TIMER_DELAY_MS, systemClock } from './clock';
import { isSendableCloseCode } from './close/closeCode';
import { InvalidOptionsError, isInvalidPolicyError, type Problem } from './errors';
import { type ClientOptions, clientDefaults, type ResolvedHeartbeat, type ResolvedOptions } from './options';
import { definePolicy, type Policy } from './policy/definePolicy';

const knownKeys = new Set<string>([
  'url',
  'protocols',
  'transport',
  'policy',
  'refresh',
  'connectTimeoutMs',
  'closeTimeoutMs',
  'stableAfterMs',
  'isReady',
  'heartbeat',
  'queue',
  'messages',
  'signal',
  'lazy',
  'clock',
  'random',
  'redactUrls',
  'reconnectCloseCode',
  'environment',
  'pauseWhenHidden',
  'reliable',
  'requireTls',
]);

const defaultQueue: QueueLimits = Object.freeze({
  maxMessages: clientDefaults.maxMessages,
  maxBytes: clientDefaults.maxBytes,
  overflow: clientDefaults.overflow,
});

/** The URL text of a `UrlInput`, or undefined when it is not one. */
/**
 * What is wrong with a URL (`urlText` of the option's value), or undefined: one rule for the
 * options check at creation and for every URL a function produces later.
 */
export function urlProblem(text: string | undefined, requireTls: boolean): string | undefined {
  if (text === undefined) return 'expected a URL string, a URL object or a function returning one';
  if (!isSocketUrl(text)) return 'expected an absolute ws:, wss:, http: or https: URL without a fragment';
  if (requireTls && isInsecureRemoteUrl(text))
    return 'requireTls: expected wss: (or https:) for a host other than localhost';
  return undefined;
}

export function urlText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { href?: unknown }).href === 'string') {
    return (value as { href: string }).href;
  }
  return undefined;
}

/** `"a"` → `["a"]`; checks RFC 6455 §4.1: tokens, no duplicates. Undefined when invalid. */
export function protocolList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : undefined;
  if (!list) return undefined;
  const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  if (!list.every((p) => typeof p === 'string' && token.test(p))) return undefined;
  return new Set(list).size === list.length ? (list as string[]) : undefined;
}

/**
 * Checks every option once and fills the defaults. Throws `InvalidOptionsError` listing every
 * problem with its path (`queue.maxMessages: expected an integer ≥ 0`).
 */
export function resolveOptions<TMessage>(input: ClientOptions<TMessage>): ResolvedOptions<TMessage> {
  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  if (typeof input !== 'object' || input === null)
    throw new InvalidOptionsError([{ path: '(root)', message: 'expected an options object' }]);
  const o = input as ClientOptions<TMessage> & Record<string, unknown>;
  for (const key of Object.keys(o)) if (!knownKeys.has(key)) bad(key, 'unknown option');

  if (typeof o.url !== 'function') {
    const problem = urlProblem(urlText(o.url), o.requireTls === true);
    if (problem) bad('url', problem);
  }
  const protocols = o.protocols ?? [];
  if (typeof protocols !== 'function' && protocolList(protocols) === undefined) {
    bad('protocols', 'expected a subprotocol token or a list of distinct tokens');
  }
  if (typeof o.transport !== 'object' || o.transport === null || typeof o.transport.connect !== 'function') {
    bad('transport', 'expected a Transport: an object with connect(request, handlers)');
  }
  let policy: Policy | undefined;
  try {
    policy = definePolicy(o.policy ?? {});
  } catch (error) {
    if (!isInvalidPolicyError(error)) throw error;
    for (const p of error.problems) bad(p.path === '(root)' ? 'policy' : `policy.${p.path}`, p.message);
  }
  const fn = (key: string) => {
    if (o[key] !== undefined && typeof o[key] !== 'function') bad(key, 'expected a function');
  };
  fn('refresh');
  fn('isReady');
  fn('random');
  const duration = (path: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_DELAY_MS) {
      bad(path, `expected a duration in ms, ${min === 0 ? '≥ 0' : '> 0'} and ≤ ${MAX_TIMER_DELAY_MS}`);
      return fallback;
    }
    return value;
  };
  const connectTimeoutMs = duration('connectTimeoutMs', o.connectTimeoutMs, clientDefaults.connectTimeoutMs, 1);
  const closeTimeoutMs = duration('closeTimeoutMs', o.closeTimeoutMs, clientDefaults.closeTimeoutMs, 1);
  const stableAfterMs = duration('stableAfterMs', o.stableAfterMs, clientDefaults.stableAfterMs, 0);

  let heartbeat: ResolvedHeartbeat<TMessage> | undefined;
  if (o.heartbeat === true || (typeof o.heartbeat === 'object' && o.heartbeat !== null)) {
    const h = o.heartbeat === true ? {} : o.heartbeat;
    for (const key of Object.keys(h)) {
      if (!['intervalMs', 'timeoutMs', 'message', 'isPong'].includes(key)) bad(`heartbeat.${key}`, 'unknown option');
    }
    const message = h.message;
    if (message !== undefined && typeof message !== 'function' && typeof message !== 'string' && !isBinary(message)) {
      bad('heartbeat.message', 'expected a string, binary data or a function returning one');
    }
    if (h.isPong !== undefined && typeof h.isPong !== 'function') bad('heartbeat.isPong', 'expected a function');
    heartbeat = {
      intervalMs: duration('heartbeat.intervalMs', h.intervalMs, clientDefaults.heartbeatIntervalMs, 1),
      timeoutMs: duration('heartbeat.timeoutMs', h.timeoutMs, clientDefaults.heartbeatTimeoutMs, 1),
      message,
      isPong: h.isPong,
    };
  } else if (o.heartbeat !== undefined && o.heartbeat !== false) {
    bad('heartbeat', 'expected true, false or { intervalMs, timeoutMs, message, isPong }');
  }

  const q = o.queue ?? {};
  if (typeof q !== 'object' || q === null) bad('queue', 'expected { maxMessages, maxBytes, overflow }');
  for (const key of Object.keys(q)) {
    if (!['maxMessages', 'maxBytes', 'overflow'].includes(key)) bad(`queue.${key}`, 'unknown option');
  }
  const count = (path: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      bad(path, 'expected an integer ≥ 0');
      return fallback;
    }
    return value;
  };
  const overflow = q.overflow ?? clientDefaults.overflow;
  if (!['drop-oldest', 'drop-newest', 'reject'].includes(overflow)) {
    bad('queue.overflow', 'expected "drop-oldest", "drop-newest" or "reject"');
  }
  const limits: QueueLimits = {
    maxMessages: count('queue.maxMessages', q.maxMessages, clientDefaults.maxMessages),
    maxBytes: count('queue.maxBytes', q.maxBytes, clientDefaults.maxBytes),
    overflow,
  };
  // Clients with the default limits share one frozen object.
  const queue =
    limits.maxMessages === defaultQueue.maxMessages &&
    limits.maxBytes === defaultQueue.maxBytes &&
    limits.overflow === defaultQueue.overflow
      ? defaultQueue
      : Object.freeze(limits);

  if (
    o.messages !== undefined &&
    typeof (o.messages as { '~standard'?: { validate?: unknown } })?.['~standard']?.validate !== 'function'
  ) {
    bad('messages', 'expected a Standard Schema (zod, valibot, arktype, …)');
  }
  if (
    o.signal !== undefined &&
    !(
      typeof o.signal === 'object' &&
      o.signal !== null &&
      typeof o.signal.addEventListener === 'function' &&
      typeof o.signal.aborted === 'boolean'
    )
  ) {
    bad('signal', 'expected an AbortSignal');
  }
  const env = o.environment;
  if (
    env !== undefined &&
    !(
      typeof env === 'object' &&
      env !== null &&
      ['online', 'visible', 'subscribe'].every(
        (k) => typeof (env as unknown as Record<string, unknown>)[k] === 'function',
      )
    )
  ) {
    bad('environment', 'expected { online(), visible(), subscribe(listener) }');
  }
  const reliable = o.reliable;
  if (
    reliable !== undefined &&
    !(
      typeof reliable === 'object' &&
      reliable !== null &&
      typeof reliable.id === 'function' &&
      typeof reliable.ackOf === 'function'
    )
  ) {
    bad('reliable', 'expected { id(message), ackOf(incoming) }');
  }
  for (const key of ['lazy', 'redactUrls', 'pauseWhenHidden', 'requireTls'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') bad(key, 'expected a boolean');
  }
  const clock = o.clock ?? systemClock;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    bad('clock', 'expected a Clock: { now, setTimeout, clearTimeout }');
  }
  const reconnectCloseCode = o.reconnectCloseCode ?? clientDefaults.reconnectCloseCode;
  if (!isSendableCloseCode(reconnectCloseCode)) bad('reconnectCloseCode', 'expected 1000 or a code in 3000–4999');

  if (problems.length > 0 || !policy) throw new InvalidOptionsError(problems);
  return Object.freeze({
    url: o.url,
    protocols,
    transport: o.transport,
    policy,
    refresh: o.refresh,
    connectTimeoutMs,
    closeTimeoutMs,
    stableAfterMs,
    isReady: o.isReady,
    heartbeat: heartbeat && Object.freeze(heartbeat),
    queue,
    messages: o.messages,
    signal: o.signal,
    lazy: o.lazy ?? false,
    clock,
    random: o.random ?? systemRandom,
    redactUrls: o.redactUrls ?? true,
    reconnectCloseCode,
    environment: env,
    pauseWhenHidden: o.pauseWhenHidden ?? false,
    reliable,
    requireTls: o.requireTls ?? false,
  });
}

export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}
