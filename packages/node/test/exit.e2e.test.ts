import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Scenario, type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/closeInState.ts', import.meta.url));
let server: ScenarioServer;
beforeAll(async () => {
  server = await startScenarioServer();
});
afterAll(() => server.stop());

describe('close() lets a Node process exit by itself', () => {
  it.each([
    ['open', { kind: 'echo' }],
    ['connecting', { kind: 'hang' }],
    ['waiting', { kind: 'terminate', afterMs: 10 }],
    ['closing', { kind: 'silent' }],
    ['reconnected', { kind: 'silent' }],
  ] as Array<[string, Scenario]>)('in state %s, leaving no handle behind', async (state, scenario) => {
    // 'reconnected': its second connection is an ordinary one.
    if (state === 'reconnected') server.plan(scenario, { kind: 'echo' });
    else server.plan(scenario);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@resock/source', fixture, server.url, state],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    // Listened for from the start: the process may exit before its last line has been read here.
    let exitedAt = Number.NaN;
    const exited = once(child, 'exit').then(([code]) => {
      exitedAt = performance.now();
      return code as number;
    });
    const lines: string[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
      child.stdout.emit('line');
    });
    const line = async (n: number) => {
      while (lines.length < n) await once(child.stdout, 'line');
      return lines[n - 1] ?? '';
    };
    expect(await line(1)).toBe(`ready ${state === 'closing' || state === 'reconnected' ? 'open' : state}`);
    child.stdin.write('close\n');
    const report = JSON.parse(await line(2)) as { state: string; closeMs: number; resources: string[] };
    const reportedAt = performance.now();
    const code = await exited;
    const exitMs = exitedAt - reportedAt;
    expect(code).toBe(0);
    expect(report.state).toBe('closed');
    expect(report.resources).toEqual([]);
    // Nothing keeps the process alive: it exits right after close() resolves, not after a
    // retry timer (60 s), a heartbeat (30 s) or ws's 30 s close timeout.
    expect(exitMs).toBeLessThan(2000);
    console.log(
      `close() in ${state}: resolved after ${report.closeMs.toFixed(1)} ms, process exited ${exitMs.toFixed(1)} ms later`,
    );
  });
});
