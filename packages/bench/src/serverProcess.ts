import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Plain JavaScript, so a restarted server listens again within milliseconds.
const script = fileURLToPath(new URL('./echoServer.mjs', import.meta.url));

/** The echo server in a child process: start it, command it, kill it, start it again. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  private waiters: Array<() => void> = [];
  port = 0;

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    const child = spawn(process.execPath, [script, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    this.lines = [];
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    const first = JSON.parse(await this.nextLine()) as { port: number };
    this.port = first.port;
  }

  async command(line: string): Promise<void> {
    this.child?.stdin?.write(`${line}\n`);
    await this.nextLine();
  }

  /** SIGKILL: the clients see their TCP connections die (1006). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  private async nextLine(): Promise<string> {
    while (this.lines.length === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.lines.shift() as string;
  }
}
