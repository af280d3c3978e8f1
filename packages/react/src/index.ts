// @resock/react: hooks for a resock client in React components (React 18 and 19).
export { useClient } from './useClient';
export { useClientEvent } from './useClientEvent';
export { useClientState } from './useClientState';
