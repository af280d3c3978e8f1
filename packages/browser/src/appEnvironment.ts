import type { ClientEnvironment, EnvironmentChange } from '@resock/core';

/** What resock reads of React Native's `AppState` (react-native). */
export interface AppStateLike {
  /**
   * `'active'`, `'background'`, iOS's `'inactive'` (a transition, a system sheet), `'unknown'`
   * (iOS, at launch), `'extension'` (an app extension); `null` without the native module.
   */
  readonly currentState: string | null | undefined;
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void };
}

/**
 * What resock reads of a network state from `@react-native-community/netinfo`: `isConnected`
 * only. Not `isInternetReachable`: NetInfo sets it from a request to a third-party URL that
 * firewalls, proxies and intranets block, where trusting it would keep a client from ever
 * reaching a server it can reach (and drop working sockets each time the check failed).
 */
export interface NetInfoStateLike {
  readonly isConnected: boolean | null;
}

/** What resock reads of `@react-native-community/netinfo`'s default export. */
export interface NetInfoLike {
  addEventListener(listener: (state: NetInfoStateLike) => void): () => void;
}

/** Either module may be left out: without it, the app counts as visible (or online) throughout. */
export interface AppEnvironmentModules {
  AppState?: AppStateLike | undefined;
  NetInfo?: NetInfoLike | undefined;
}

/**
 * The app as the client sees it in React Native, where there is no page to read: `AppState`
 * for visibility (only `background` is hidden: iOS's `inactive` is a moment in a transition or
 * a system sheet over a running app) and NetInfo's `isConnected` for the network. Pass the
 * modules themselves, so resock depends on neither:
 * `createClient({ url, environment: appEnvironment({ AppState, NetInfo }) })`.
 */
export function appEnvironment({ AppState, NetInfo }: AppEnvironmentModules): ClientEnvironment {
  // NetInfo answers at once when it knows the state, else once it has fetched it: until then
  // (or without it) online is assumed, so an app never waits for a report that may not come.
  // Unknown (null) is online too.
  let online = true;
  const shownIn = (state: string | null | undefined) => state !== 'background';
  return {
    online: () => online,
    visible: () => shownIn(AppState?.currentState),
    subscribe(listener) {
      // NetInfo calls a handler it owes its first state even once removed: not after stop().
      let stopped = false;
      const tell = (change: EnvironmentChange) => {
        if (!stopped) listener(change);
      };
      let shown = shownIn(AppState?.currentState);
      const app = AppState?.addEventListener('change', (state) => {
        const now = shownIn(state);
        if (now === shown) return; // active ↔ inactive: no change for the client
        shown = now;
        tell(now ? 'visible' : 'hidden');
      });
      // Each subscription tells its own client (one environment may serve several clients).
      let told = online;
      const stopNet = NetInfo?.addEventListener((state) => {
        online = state.isConnected !== false;
        if (online === told) return; // a network switch that stays connected: not a change
        told = online;
        tell(online ? 'online' : 'offline');
      });
      return () => {
        stopped = true;
        app?.remove();
        stopNet?.();
      };
    },
  };
}
