import type { CloseRecord, Decision, StopReason } from '@resock/node';
import { describeCloseCode, ruleNote } from '@resock/node';
import { closeDetails, decisionWhy, handshakeText } from '../closeText';

export interface TimelineOptions {
  /** Live countdown and colours (a terminal); otherwise plain lines only. */
  tty: boolean;
  color: boolean;
  write: (text: string) => void;
}

const paint = (on: boolean) => (code: number, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** The live view of the demo: one line per event, time-stamped, with a countdown while waiting. */
export class Timeline {
  private readonly startedAt = performance.now();
  private countdown: { timer: ReturnType<typeof setInterval>; until: number } | undefined;
  private readonly c: (code: number, text: string) => string;

  constructor(private readonly options: TimelineOptions) {
    this.c = paint(options.color);
  }

  section(title: string): void {
    this.line(`\n${this.c(1, `── ${title} `.padEnd(72, '─'))}`);
  }

  state(from: string, to: string): void {
    // A state change ends the wait (or changes it: a new decision starts its own countdown).
    this.stopCountdown();
    this.row('state', this.c(2, `${from} → `) + this.c(1, to));
  }

  open(url: string, attempt: number, protocol: string): void {
    this.row('open', `${this.c(32, url)}  attempt ${attempt}${protocol ? `  protocol ${protocol}` : ''}`);
  }

  close(record: CloseRecord): void {
    const code = this.c(33, describeCloseCode(record.code));
    this.row('close', `${code}${handshakeText(record)}  ${this.c(2, closeDetails(record))}`);
  }

  decision(decision: Decision, stopReason?: StopReason): void {
    const what =
      decision.action === 'stop'
        ? this.c(31, `stop (${stopReason ?? decision.stopReason})`)
        : this.c(36, `${decision.action} in ${seconds(decision.delayMs)}`);
    this.row('decide', `${what}  rule ${this.c(1, decision.rule)}`);
    this.row('', this.c(2, `↳ ${decisionWhy(decision, ruleNote(decision.rule))}`));
    if (decision.action !== 'stop' && decision.delayMs >= 300) this.startCountdown(decision.delayMs);
  }

  note(label: string, text: string): void {
    this.row(label, text);
  }

  stopCountdown(): void {
    if (!this.countdown) return;
    clearInterval(this.countdown.timer);
    this.countdown = undefined;
    this.options.write('\r\x1b[2K');
  }

  private startCountdown(delayMs: number): void {
    if (this.options.tty) this.drawCountdown(performance.now() + delayMs);
  }

  /** The countdown line, kept last: redrawn every 100 ms and after any line printed meanwhile. */
  private drawCountdown(until: number): void {
    this.stopCountdown();
    const draw = () => {
      const left = Math.max(0, until - performance.now());
      this.options.write(`\r\x1b[2K${this.c(2, `         ⏳ next attempt in ${seconds(left)}`)}`);
    };
    draw();
    this.countdown = { timer: setInterval(draw, 100), until };
  }

  private row(label: string, text: string): void {
    const t = `+${((performance.now() - this.startedAt) / 1000).toFixed(1)}s`.padStart(7);
    this.line(`${this.c(2, t)}  ${label.padEnd(8)} ${text}`);
  }

  private line(text: string): void {
    const waiting = this.countdown;
    this.stopCountdown();
    this.options.write(`${text}\n`);
    // A line printed during the wait (a message sent while offline, a refresh) goes above it.
    if (waiting) this.drawCountdown(waiting.until);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
