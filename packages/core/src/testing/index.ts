// @resock/core/testing — deterministic parts for tests of code built on resock.
export { seededRandom } from './seededRandom';
