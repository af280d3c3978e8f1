// @resock/core/testing — deterministic parts for tests of code built on resock.

export { createFakeEnvironment, type FakeEnvironment } from './fakeEnvironment';
export {
  createFakeTransport,
  type FakeConnection,
  type FakeTransport,
  type FakeTransportOptions,
} from './fakeTransport';
export { seededRandom } from './seededRandom';
export { createVirtualClock, flushPromises, type VirtualClock } from './virtualClock';
