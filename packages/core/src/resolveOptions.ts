import { systemRandom } from './backoff/jitter';
import { isMessage } from './binary';
import { AGE_SPREAD, IDLE_LOOKS, MIN_CONNECTION_AGE_MS, MIN_IDLE_TIMEOUT_MS } from './client/machineTypes';
import type { QueueLimits } from './client/queue';
import { ttlCheck } from './client/sendOptions';
import { isInsecureRemoteUrl, isSocketUrl } from './client/socketUrl';
import { MAX_TIMER_DELAY_MS, systemClock } from './clock';
import { isSendableCloseCode } from './close/closeCode';
import { InvalidOptionsError, isInvalidPolicyError, type Problem } from './errors';
import {
  abortSignal,
  boolean,
  check,
  either,
  errorText,
  fail,
  fn,
  isRecord,
  number,
  oneOf,
  shape,
} from './inputChecks';
import { type ClientOptions, clientDefaults, type ResolvedHeartbeat, type ResolvedOptions } from './options';
import { definePolicy, type Policy } from './policy/definePolicy';

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

/** The URL text of a `UrlInput`, or undefined when it is not one. */
export function urlText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const href = isRecord(value) ? value.href : undefined;
  return typeof href === 'string' ? href : undefined;
}

/** `"a"` → `["a"]`; checks RFC 6455 §4.1: tokens, no duplicates. Undefined when invalid. */
export function protocolList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : undefined;
  if (!list?.every((p) => typeof p === 'string' && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p))) return undefined;
  return new Set(list).size === list.length ? list : undefined;
}

/** An object whose `keys` are all methods (the duck type of a Clock, an environment, …). */
const methods = (message: string, ...keys: string[]) =>
  check(message, (v) => isRecord(v) && keys.every((k) => typeof v[k] === 'function'));
const duration = (min: number) =>
  number(min, MAX_TIMER_DELAY_MS, {
    message: `expected a duration in ms, ${min === 0 ? '≥ 0' : '> 0'} and ≤ ${MAX_TIMER_DELAY_MS}`,
  });
/** 0 (never), or a duration of at least `min` ms: what each time it runs out dials anew. */
const offOrAtLeast = (min: number) =>
  either(
    `expected 0 (never) or a duration in ms, ≥ ${min} and ≤ ${MAX_TIMER_DELAY_MS}`,
    (v) => v === 0,
    number(min, MAX_TIMER_DELAY_MS),
  );
const count = number(0, Number.MAX_SAFE_INTEGER, { integer: true, message: 'expected an integer ≥ 0' });

/** A message to send, or a function that makes it (the heartbeat's ping, the greeting). */
const message = check(
  'expected a string, binary data or a function returning such',
  (v) => typeof v === 'function' || isMessage(v),
);

const heartbeatCheck = shape({
  intervalMs: duration(1),
  timeoutMs: duration(0),
  message,
  isPong: fn,
});

const greetingCheck = shape({ message, isAccepted: fn });

/** The options check; `url` (it needs `requireTls`) and `policy` (definePolicy's) are checked apart. */
const optionsCheck = shape(
  {
    url: () => true,
    policy: () => true,
    protocols: check(
      'expected a subprotocol token or a list of distinct tokens',
      (v) => typeof v === 'function' || protocolList(v),
    ),
    transport: methods('expected a Transport: an object with connect(request, handlers)', 'connect'),
    refresh: fn,
    isReady: fn,
    random: fn,
    connectTimeoutMs: duration(1),
    closeTimeoutMs: duration(1),
    stableAfterMs: duration(0),
    // Each idle close dials anew with the next send: not one connection a send (30, seconds meant).
    idleTimeoutMs: offOrAtLeast(MIN_IDLE_TIMEOUT_MS),
    // Each move dials a new connection: not in a loop.
    maxConnectionAgeMs: offOrAtLeast(MIN_CONNECTION_AGE_MS),
    greeting: (value, path, problems) =>
      isRecord(value) && (value.message !== undefined || value.isAccepted !== undefined)
        ? greetingCheck(value, path, problems)
        : fail(problems, path, 'expected { message, isAccepted }: one of them or both'),
    heartbeat: (value, path, problems) =>
      typeof value === 'boolean' ||
      (isRecord(value)
        ? heartbeatCheck(value, path, problems)
        : fail(problems, path, 'expected true, false or { intervalMs, timeoutMs, message, isPong }')),

    queue: shape({
      maxMessages: count,
      maxBytes: count,
      overflow: oneOf(['drop-oldest', 'drop-newest', 'reject'], 'expected "drop-oldest", "drop-newest" or "reject"'),
      ttlMs: ttlCheck,
    }),
    // An object (zod, valibot) or a callable (arktype) with a `~standard` property.
    messages: check('expected a Standard Schema (zod, valibot, arktype, …)', (v) => {
      const standard = (isRecord(v) || typeof v === 'function') && (v as { '~standard'?: unknown })['~standard'];
      return isRecord(standard) && typeof standard.validate === 'function';
    }),
    signal: abortSignal,
    environment: methods('expected { online(), visible(), subscribe(listener) }', 'online', 'visible', 'subscribe'),
    reliable: methods('expected { id(message), ackOf(incoming) }', 'id', 'ackOf'),
    clock: methods('expected a Clock: { now, setTimeout, clearTimeout }', 'now', 'setTimeout', 'clearTimeout'),
    reconnectCloseCode: check('expected 1000 or a code in 3000–4999', isSendableCloseCode),
    lazy: boolean,
    redactUrls: boolean,
    pauseWhenHidden: boolean,
    requireTls: boolean,
  },
  ['transport'],
);

/** A transport that says it cannot run here (`unavailable()`), or whose answer throws. */
function transportProblem(transport: unknown, problems: Problem[]): void {
  if (!isRecord(transport) || typeof transport.unavailable !== 'function') return;
  try {
    const why = transport.unavailable();
    if (typeof why === 'string') fail(problems, 'transport', why);
  } catch (error) {
    fail(problems, 'transport', `unavailable() threw: ${errorText(error)}`);
  }
}

/**
 * maxConnectionAgeMs with idleTimeoutMs: a quiet connection must reach its idle close (within a
 * quarter past idleTimeoutMs) before its move (from the age's last tenth), or a client with
 * nothing to say would move for ever instead of going idle.
 */
function connectionAgeProblem(
  o: Pick<ClientOptions, 'maxConnectionAgeMs' | 'idleTimeoutMs'>,
  problems: Problem[],
): void {
  const age = o.maxConnectionAgeMs;
  const idle = o.idleTimeoutMs;
  // Only for values the options check took (no second message for one it refused).
  if (typeof age !== 'number' || !(age >= MIN_CONNECTION_AGE_MS) || typeof idle !== 'number' || !(idle > 0)) return;
  const idleCloseBy = idle * (1 + 1 / IDLE_LOOKS);
  if (age * (1 - AGE_SPREAD) <= idleCloseBy)
    fail(
      problems,
      'maxConnectionAgeMs',
      `with idleTimeoutMs ${idle}, expected > ${Math.floor(idleCloseBy / (1 - AGE_SPREAD))}: a quiet connection must close as idle before it moves`,
    );
}

/** Throws the options check's typed error for anything but an options object. */
export function assertOptionsObject(input: unknown): void {
  if (!isRecord(input)) throw new InvalidOptionsError([{ path: '(root)', message: 'expected an options object' }]);
}

/**
 * `given`'s settings over `defaults`, key by key. Settings equal to `defaults` field by field
 * are `defaults` itself: clients with the default queue limits or heartbeat share one frozen
 * object (each copy cost every idle client ~56 B).
 */
function filled<T extends object>(defaults: T, given: { [K in keyof T]?: T[K] | undefined }): T {
  const settings = {} as T;
  for (const key in defaults) settings[key] = given[key] ?? defaults[key];
  return (Object.keys(defaults) as Array<keyof T>).every((key) => settings[key] === defaults[key])
    ? defaults
    : Object.freeze(settings);
}

const defaultQueue: QueueLimits = Object.freeze({
  maxMessages: clientDefaults.maxMessages,
  maxBytes: clientDefaults.maxBytes,
  overflow: clientDefaults.overflow,
  ttlMs: undefined,
});

const defaultHeartbeat: ResolvedHeartbeat<unknown> = Object.freeze({
  intervalMs: clientDefaults.heartbeatIntervalMs,
  timeoutMs: clientDefaults.heartbeatTimeoutMs,
  message: undefined,
  isPong: undefined,
});

/**
 * Checks every option once and fills the defaults. Throws `InvalidOptionsError` listing every
 * problem with its path (`queue.maxMessages: expected an integer ≥ 0`).
 */
export function resolveOptions<TMessage>(input: ClientOptions<TMessage>): ResolvedOptions<TMessage> {
  const problems: Problem[] = [];
  assertOptionsObject(input);
  const o = input as ClientOptions<TMessage>;
  optionsCheck(o, '', problems);
  const requireTls = o.requireTls === true;
  if (typeof o.url !== 'function') {
    const problem = urlProblem(urlText(o.url), requireTls);
    if (problem) fail(problems, 'url', problem);
  }
  transportProblem(o.transport, problems);
  // Reliable delivery keeps each message until its ack, in an outbox the queue's limits bound:
  // with room for none, every tracked send would be dropped, even on an open socket.
  if (o.reliable)
    for (const limit of ['maxMessages', 'maxBytes'] as const)
      if (o.queue?.[limit] === 0)
        fail(problems, `queue.${limit}`, 'reliable delivery keeps each message until its ack: expected ≥ 1');
  // …and queue.ttlMs bounds that wait: 0 would drop every tracked message right after its write.
  if (o.reliable && o.queue?.ttlMs === 0)
    fail(
      problems,
      'queue.ttlMs',
      'reliable delivery waits for each ack: expected > 0 (longer than the server takes to ack)',
    );
  // An app-level ping's answers would be app messages: the connection would never be idle.
  const h = o.heartbeat;
  if (o.idleTimeoutMs && typeof h === 'object' && h.message !== undefined && h.isPong === undefined)
    fail(
      problems,
      'heartbeat.isPong',
      'with idleTimeoutMs, an app-level ping needs isPong to tell its answers from traffic',
    );
  connectionAgeProblem(o, problems);
  let policy: Policy | undefined;
  try {
    policy = definePolicy(o.policy);
  } catch (error) {
    if (!isInvalidPolicyError(error)) throw error;
    for (const p of error.problems) fail(problems, p.path === '(root)' ? 'policy' : `policy.${p.path}`, p.message);
  }
  if (problems.length > 0 || !policy) throw new InvalidOptionsError(problems);
  return ownSettings(settingsOf(o, policy));
}

/** Every setting of a checked input, a default where it has none. */
function settingsOf<TMessage>(o: ClientOptions<TMessage>, policy: Policy): ResolvedOptions<TMessage> {
  const h = o.heartbeat === true ? {} : o.heartbeat || undefined;
  return {
    url: o.url,
    protocols: o.protocols ?? noProtocols,
    transport: o.transport,
    policy,
    refresh: o.refresh,
    connectTimeoutMs: o.connectTimeoutMs ?? clientDefaults.connectTimeoutMs,
    closeTimeoutMs: o.closeTimeoutMs ?? clientDefaults.closeTimeoutMs,
    stableAfterMs: o.stableAfterMs ?? clientDefaults.stableAfterMs,
    isReady: o.isReady,
    greeting: o.greeting,
    heartbeat: h ? filled<ResolvedHeartbeat<TMessage>>(defaultHeartbeat, h) : undefined,
    queue: filled(defaultQueue, o.queue ?? {}),
    messages: o.messages,
    signal: o.signal,
    lazy: o.lazy ?? false,
    idleTimeoutMs: o.idleTimeoutMs ?? 0,
    maxConnectionAgeMs: o.maxConnectionAgeMs ?? 0,
    clock: o.clock ?? systemClock,
    random: o.random ?? systemRandom,
    redactUrls: o.redactUrls ?? true,
    reconnectCloseCode: o.reconnectCloseCode ?? clientDefaults.reconnectCloseCode,
    environment: o.environment,
    pauseWhenHidden: o.pauseWhenHidden ?? false,
    reliable: o.reliable,
    requireTls: o.requireTls === true,
  };
}

const noProtocols: readonly string[] = Object.freeze([]);

/** The settings of a client that sets none (with the default policy), made once. */
let defaultSettings: Readonly<ResolvedOptions<unknown>> | undefined;

/**
 * A client's resolved options keep as their own only what differs from the defaults, and read
 * the rest from one frozen object shared by every client: a full copy each cost an idle client
 * ~150 B (the memory bench's goal is 1.20× raw ws, heartbeat on).
 */
function ownSettings<T extends object>(resolved: T): T {
  defaultSettings ??= Object.freeze(settingsOf({} as never, definePolicy()));
  const defaults = defaultSettings;
  // Defined, not assigned: a frozen object's fields cannot be shadowed by assignment.
  const own: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(resolved))
    if (value !== (defaults as Record<string, unknown>)[key]) own[key] = { value, enumerable: true };
  return Object.freeze(Object.create(defaults, own));
}
