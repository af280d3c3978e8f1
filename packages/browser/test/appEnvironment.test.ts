// appEnvironment() reads React Native's AppState and NetInfo, which cannot run here: the fakes
// below keep to their documented shapes (AppState.currentState and addEventListener('change')
// returning a subscription with remove(); NetInfo.addEventListener returning its unsubscribe and
// reporting a moment after it is called), and the client on top is core's, on its fake transport.
import { type AppStateLike, appEnvironment, createClient, type NetInfoLike } from '@resock/browser';
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
  const listeners = new Set<Parameters<NetInfoLike['addEventListener']>[0]>();
  return {
    addEventListener(listener: Parameters<NetInfoLike['addEventListener']>[0]) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    report(isConnected: boolean | null, isInternetReachable: boolean | null = isConnected) {
      for (const listener of [...listeners]) listener({ isConnected, isInternetReachable });
    },
    get listeners() {
      return listeners.size;
    },
  } satisfies NetInfoLike & Record<string, unknown>;
}

function appClient(AppState = fakeAppState(), NetInfo = fakeNetInfo()) {
  const transport = createFakeTransport();
  const clock = createVirtualClock(Date.UTC(2026, 10, 23, 12));
  const environment = appEnvironment({ AppState, NetInfo });
  const client = createClient({ url: 'wss://api.example.test/live', transport, clock, environment });
  return { client, transport, clock, AppState, NetInfo, environment };
}

describe('appEnvironment (React Native: AppState and NetInfo)', () => {
  it('counts as online and visible until NetInfo says otherwise, and without either module', () => {
    expect(appEnvironment({}).online()).toBe(true);
    expect(appEnvironment({}).visible()).toBe(true);
    const { environment } = appClient(fakeAppState(null));
    expect(environment.online()).toBe(true);
    expect(environment.visible()).toBe(true);
  });

  it('makes no attempt while NetInfo reports no network, and one at once when it is back', () => {
    const { client, transport, clock, NetInfo } = appClient();
    NetInfo.report(false); // its first report, a moment after the client subscribed
    expect(client.state).toBe('waiting'); // the handshake under way is given up
    clock.advance(60_000);
    expect(transport.connections).toHaveLength(1);
    NetInfo.report(true);
    expect(transport.connections).toHaveLength(2);
  });

  it('a network reachable in name only (isInternetReachable false) is offline; a switch that stays connected is no change', () => {
    const { client, transport, NetInfo } = appClient();
    transport.last().accept();
    const changes: string[] = [];
    client.on('state', ({ to }) => changes.push(to));
    NetInfo.report(true); // wifi → cellular: still connected
    expect(changes).toEqual([]);
    NetInfo.report(true, false); // a captive portal
    expect(changes).toEqual(['waiting']); // no heartbeat to probe the socket: let go
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

  it('tells every client sharing one environment, and close() lets go of both modules', async () => {
    const AppState = fakeAppState();
    const NetInfo = fakeNetInfo();
    const environment = appEnvironment({ AppState, NetInfo });
    const transport = createFakeTransport();
    const clock = createVirtualClock(Date.UTC(2026, 10, 23, 12));
    const clients = [1, 2].map(() =>
      createClient({ url: 'wss://api.example.test/live', transport, clock, environment }),
    );
    for (const connection of transport.connections) connection.fail();
    NetInfo.report(false);
    NetInfo.report(true);
    expect(transport.connections).toHaveLength(4); // each client attempted once more, at once
    await Promise.all(clients.map((c) => c.close()));
    expect([AppState.listeners, NetInfo.listeners]).toEqual([0, 0]);
  });
});
