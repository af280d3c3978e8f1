import type { Transport } from '@resock/core';
import { runContractSteps } from './contractRunner';
import type { ContractDriver } from './transportContract';

/** Drives any `Transport` in this process, for the contract suite. */
export function inProcessDriver(
  name: string,
  transport: () => Transport,
  capabilities: Pick<ContractDriver, 'seesHandshakeStatus' | 'canPing' | 'canTerminate'>,
): ContractDriver {
  return {
    name,
    ...capabilities,
    run: (url, protocols, steps, waitMs) => runContractSteps(transport(), url, protocols, steps, waitMs),
  };
}
