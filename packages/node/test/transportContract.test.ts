import { nativeTransport, nodeTransport } from '@resock/node';
import { defineTransportContract, inProcessDriver } from '@resock/test-utils';
import { WebSocket as UndiciWebSocket } from 'undici';

defineTransportContract(
  inProcessDriver('nodeTransport (ws)', () => nodeTransport(), {
    seesHandshakeStatus: true,
    canPing: true,
    canTerminate: true,
  }),
);

// Node 20 has no global WebSocket; undici 7 is the same implementation Node 24 ships.
defineTransportContract(
  inProcessDriver('nativeTransport (undici 7)', () => nativeTransport({ WebSocket: UndiciWebSocket }), {
    seesHandshakeStatus: false,
    canPing: false,
    canTerminate: false,
  }),
);
