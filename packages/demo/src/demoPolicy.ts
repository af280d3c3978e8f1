import type { PolicyInput } from '@resock/core';

/** The demo's policy: the default preset, with waits shortened so the story takes seconds. */
export const demoPolicy: PolicyInput = {
  rules: [
    {
      name: 'demo-restart',
      codes: [1012],
      action: 'retry',
      firstDelayMs: [1000, 2500],
      description: '1012 Service Restart: a random 1–2.5 s here (5–30 s by default), so a fleet spreads out.',
    },
    {
      name: 'demo-overloaded',
      codes: [1013],
      action: 'throttle',
      minDelayMs: 3000,
      backoff: { type: 'constant', delayMs: 3000, jitterMs: 300 },
      description: '1013 Try Again Later: at least 3 s here (30 s by default), never at once.',
    },
  ],
  backoff: { type: 'exponential', initialDelayMs: 250, maxDelayMs: 2000, factor: 2, jitter: 'full' },
};
