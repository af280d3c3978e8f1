export { type ChaosOptions, type ChaosProxy, startChaosProxy } from './chaosProxy';
export { defineEntryPointChecks, type EntryPoints } from './entryPointChecks';
export { type HandleCounts, type HandleWatch, watchHandles } from './handles';
export { heapAfterGc } from './heap';
export { inProcessDriver } from './inProcessDriver';
export { jsonAcks, jsonField } from './jsonAcks';
export {
  type Attempt,
  type Received,
  type Scenario,
  type ScenarioServer,
  type ScenarioServerOptions,
  startScenarioServer,
} from './scenarioServer';
export { type SlowLink, type SlowLinkOptions, startSlowLink } from './slowLink';
export { type ClientStep, type ContractDriver, defineTransportContract, type Observation } from './transportContract';
