/** What the connection was doing when it ended. */
export const closePhases = ['connecting', 'open', 'closing'] as const;
export type ClosePhase = (typeof closePhases)[number];

/**
 * Who ended it: `client` (the app called close), `server` (a close frame arrived first),
 * `transport` (the link died: 1006, refused, reset; or a limit on what it brings ran out, as
 * ws's on a message's size and resock's on an async schema's backlog), `heartbeat` (resock found the peer dead),
 * `timeout` (resock's connect or close deadline ran out).
 */
export const closeInitiators = ['client', 'server', 'transport', 'heartbeat', 'timeout'] as const;
export type CloseInitiator = (typeof closeInitiators)[number];
