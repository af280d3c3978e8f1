// appEnvironment() reads React Native's AppState and NetInfo, which cannot run here: the fakes
// below keep to what they do (AppState.currentState and addEventListener('change') returning a
// subscription with remove(); NetInfo 11's addEventListener calling the handler at once with the
// state it knows, else once its first fetch is done — even if removed meanwhile — and returning
// its unsubscribe), and the client on top is core's, on its fake transport.
import {
  type AppStateLike,
  appEnvironment,
  createClient,
  type NetInfoLike,
  type NetInfoStateLike,
} from '@resock/browser';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';

function fakeAppState(initial: string | null = 'active') {
  const listeners = new Set<(state: string) => void>();
  const appState: AppStateLike & { set(state: string): void; readonly listeners: number } = {
    currentState: initial,
    addEventListener(_type, listener) {
      listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    },
    set(state) {
      (this as { currentState: string | null }).currentState = state;
      for (const listener of [...listeners]) listener(state);
    },
    get listeners() {
      return listeners.size;
    },
  };
  return appState;
}

function fakeNetInfo() {
  const listeners = new Set<(state: NetInfoStateLike) => void>();
  let latest: NetInfoStateLike | undefined;
  const owed: Array<(state: NetInfoStateLike) => void> = [];
  return {
    addEventListener(listener: (state: NetInfoStateLike) => void) {
      listeners.add(listener);
      if (latest) listener(latest);
      else owed.push(listener); // told once the first fetch is done, removed or not
      return () => void listeners.delete(listener);
    },
    /** A state as NetInfo reports it (isInternetReachable too, which resock must not read). */
    report(isConnected: boolean | null, isInternetReachable: boolean | null = isConnected) {
      latest = { isConnected, isInternetReachable } as NetInfoStateLike;
      for (const listener of [...listeners]) listener(latest);
      for (const listener of owed.splice(0)) if (!listeners.has(listener)) listener(latest);
    },
    get listeners() {
      return listeners.size;
    },
  } satisfies NetInfoLike & Record<string, unknown>;
}

const url = 'wss://api.example.test/live';

function appClient(AppState = fakeAppState(), NetInfo = fakeNetInfo(), pauseWhenHidden = false) {
  const transport = createFakeTransport();
  const clock = createVirtualClock(Date.UTC(2026, 10, 23, 12));
  const environment = appEnvironment({ AppState, NetInfo });
  const client = createClient({ url, transport, clock, environment, pauseWhenHidden });
  return { client, transport, clock, AppState, NetInfo, environment };
}

describe('appEnvironment (React Native: AppState and NetInfo)', () => {
  it('counts as online and visible until told otherwise, and without either module', () => {
    expect(appEnvironment({}).online()).toBe(true);
    expect(appEnvironment({}).visible()).toBe(true);
    for (const state of [null, 'unknown', 'active', 'inactive', 'extension'])
      expect(appEnvironment({ AppState: fakeAppState(state) }).visible()).toBe(true);
    expect(appEnvironment({ AppState: fakeAppState('background') }).visible()).toBe(false);
  });

  it('makes no attempt while NetInfo reports no network, and one at once when it is back', () => {
    const { client, transport, clock, NetInfo } = appClient();
    NetInfo.report(false); // its first report, once its fetch is done
    expect(client.state).toBe('waiting'); // the handshake under way is given up
    clock.advance(60_000);
    expect(transport.connections).toHaveLength(1);
    NetInfo.report(true);
    expect(transport.connections).toHaveLength(2);
  });

  it('a client made once NetInfo knows it is offline learns it at once (NetInfo tells a new handler what it knows)', () => {
    const NetInfo = fakeNetInfo();
    NetInfo.report(false);
    const { client, transport } = appClient(fakeAppState(), NetInfo);
    expect([client.state, transport.connections.length]).toEqual(['waiting', 0]);
    NetInfo.report(true);
    expect(transport.connections).toHaveLength(1);
  });

  it('reads isConnected only: a failed reachability check (a blocked third-party URL) neither blocks nor drops', () => {
    const NetInfo = fakeNetInfo();
    NetInfo.report(true, false); // Wi-Fi up; NetInfo's request to clients3.google.com blocked
    const { client, transport } = appClient(fakeAppState(), NetInfo);
    transport.last().accept();
    NetInfo.report(true, false);
    expect(client.state).toBe('open');
  });

  it('tells a change of the network once: repeated reports of the same state are none', () => {
    const NetInfo = fakeNetInfo();
    const told: string[] = [];
    appEnvironment({ NetInfo }).subscribe((change) => told.push(change));
    for (const connected of [true, true, false, false, null, true, true]) NetInfo.report(connected);
    expect(told).toEqual(['offline', 'online']);
  });

  it('only background is hidden: iOS inactive (a system sheet, the app switcher) is not', () => {
    const AppState = fakeAppState('active');
    const told: string[] = [];
    const stop = appEnvironment({ AppState }).subscribe((change) => told.push(change));
    AppState.set('inactive');
    AppState.set('active');
    AppState.set('inactive');
    AppState.set('background');
    AppState.set('active');
    expect(told).toEqual(['hidden', 'visible']);
    stop();
    expect(AppState.listeners).toBe(0);
  });

  it('with pauseWhenHidden, no retry while the app is in the background; an overdue one when it is back', () => {
    const { client, transport, clock, AppState } = appClient(fakeAppState('background'), fakeNetInfo(), true);
    transport.last().fail();
    expect(client.state).toBe('waiting');
    clock.advance(60_000);
    expect(transport.connections).toHaveLength(1);
    AppState.set('active');
    expect(transport.connections).toHaveLength(2);
  });

  it('tells nothing after stop(), not even the first state NetInfo still owed', () => {
    const NetInfo = fakeNetInfo();
    const told: string[] = [];
    const stop = appEnvironment({ NetInfo }).subscribe((change) => told.push(change));
    stop();
    NetInfo.report(false);
    expect(told).toEqual([]);
  });

  it('tells every client sharing one environment, and close() lets go of both modules', async () => {
    const AppState = fakeAppState();
    const NetInfo = fakeNetInfo();
    const environment = appEnvironment({ AppState, NetInfo });
    const transport = createFakeTransport();
    const clock = createVirtualClock(Date.UTC(2026, 10, 23, 12));
    const clients = [1, 2].map(() => createClient({ url, transport, clock, environment }));
    for (const connection of transport.connections) connection.fail();
    NetInfo.report(false);
    NetInfo.report(true);
    expect(transport.connections).toHaveLength(4); // each client attempted once more, at once
    await Promise.all(clients.map((c) => c.close()));
    expect([AppState.listeners, NetInfo.listeners]).toEqual([0, 0]);
  });
});
