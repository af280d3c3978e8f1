// @resock/core — the platform-free heart of resock. Named exports only, grouped by concept.

// Back-off
export type {
  Backoff,
  BackoffInput,
  ConstantBackoff,
  ConstantBackoffOptions,
  ExponentialBackoff,
  ExponentialBackoffOptions,
  LinearBackoff,
  LinearBackoffOptions,
} from './backoff/backoffSpec';
export { type BackoffContext, computeBackoff } from './backoff/computeBackoff';
export type { Jitter, Random } from './backoff/jitter';
export { constant, exponential, grpc, linear } from './backoff/strategies';
export type { BlobLike } from './binary';
// The reconnecting client
export { createClient } from './client/client';
export type { Client, ClientStats, Delivered, OpenedOptions, SendResult, WaitingFor } from './client/clientTypes';
export type { ListenerOptions } from './client/listenerOptions';
export type { OutboundMessage, QueueOverflow } from './client/queue';
export { redactUrl } from './client/redactUrl';
export type { SendOptions } from './client/sendOptions';
export type { ClientStatus } from './client/state';
// Time and the page
export { type Clock, systemClock, type TimerHandle } from './clock';
export { assertCloseArguments, MAX_CLOSE_REASON_BYTES } from './close/closeArguments';
// Close codes and the close record
export {
  CloseCode,
  type CloseCodeName,
  type CloseCodeRange,
  closeCodeName,
  closeCodeRange,
  describeCloseCode,
  isInvalidCloseCode,
  isLocalOnlyCloseCode,
  isPrivateCloseCode,
  isRegisteredCloseCode,
  isSendableCloseCode,
  isStandardCloseCode,
  isWireCloseCode,
} from './close/closeCode';
export {
  type CloseInitiator,
  type ClosePhase,
  type CloseRecord,
  closeInitiators,
  closePhases,
  closeRecordSchema,
} from './close/closeRecord';
export { type CloseContext, normalizeClose } from './close/normalizeClose';
export { MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS, parseReasonRetryAfter, parseRetryAfter } from './close/retryAfter';
export { utf8ByteLength } from './close/utf8';
export type { ClientEnvironment, EnvironmentChange } from './environment';
// Errors
export {
  ClientClosedError,
  ClientFailedError,
  ClientRuntimeError,
  CloseReasonTooLongError,
  InvalidCloseCodeError,
  InvalidCloseReasonError,
  InvalidMessageError,
  InvalidOptionsError,
  InvalidPolicyError,
  isClientClosedError,
  isClientFailedError,
  isClientRuntimeError,
  isCloseReasonTooLongError,
  isInvalidCloseCodeError,
  isInvalidCloseReasonError,
  isInvalidMessageError,
  isInvalidOptionsError,
  isInvalidPolicyError,
  isMessageDroppedError,
  isQueueFullError,
  isResockError,
  MessageDroppedError,
  type NotDelivered,
  type Problem,
  QueueFullError,
  ResockError,
} from './errors';
export type {
  AckedEvent,
  ClientEvents,
  DroppedEvent,
  DropReason,
  FailedEvent,
  InboundMessage,
  InvalidMessageEvent,
  MessageIssue,
  OpenEvent,
  ReconnectingEvent,
  StateEvent,
} from './events/clientEvents';
export { describeRecord, type LogEventsOptions, logEvents } from './events/logEvents';
export { type ReconnectingWebSocketEventMap, ResockCloseEvent, ResockMessageEvent } from './facade/facadeEvents';
// The WebSocket-compatible facade
export { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from './facade/ReconnectingWebSocket';
export {
  type AttemptContext,
  type ClientOptions,
  clientDefaults,
  type HeartbeatOptions,
  type Protocols,
  type QueueOptions,
  type RefreshContext,
  type RefreshResult,
  type ReliableOptions,
  type UrlInput,
  type WithoutSchema,
  type WithSchema,
} from './options';
// Policy
export {
  type DecideContext,
  type Decision,
  decide,
  matchRule,
  type StopReason,
} from './policy/decide';
export { type DefinedPolicy, definePolicy, isPolicy, type Policy, type PolicyRule } from './policy/definePolicy';
export {
  type CodeSpec,
  type PolicyInput,
  type PresetName,
  presetNames,
  type RuleAction,
  type RuleInput,
} from './policy/policyInput';
export { presetNotes, ruleNote } from './policy/presetNotes';
export { presets } from './policy/presets';
export type { StandardIssue, StandardResult, StandardSchemaV1 } from './standardSchema';
export type {
  ConnectRequest,
  RawClose,
  Transport,
  TransportConnection,
  TransportHandlers,
} from './transport';

// For transports: byte counters as `progress` (a slow link told from a dead one)
export { drainMeter } from './transports/drainMeter';

// A transport on any WHATWG WebSocket (used by @resock/browser and @resock/node's nativeTransport)
export {
  type WebSocketConstructorLike,
  type WebSocketLike,
  type WhatwgTransportOptions,
  whatwgTransport,
} from './transports/whatwgTransport';
