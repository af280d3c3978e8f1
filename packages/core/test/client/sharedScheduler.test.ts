// The scheduler shared by every heartbeat on a clock, driven by tasks whose runs delete, re-add,
// hurry or postpone others and themselves (as clients' listeners can): no scheduled task is ever
// left past its due time.
import { createVirtualClock } from '@resock/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScheduledTask, sharedScheduler } from '../../src/client/sharedScheduler';

interface Task extends ScheduledTask {
  name: number;
  ran: number[];
}

describe('the shared heartbeat scheduler, with runs that change the schedule', () => {
  it('never leaves a scheduled task past its due time', () => {
    const action = fc.record({
      kind: fc.constantFrom('delete', 'add', 'earlier', 'later', 'self-delete', 'self-readd', 'none'),
      other: fc.nat(9),
      delta: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(action, { maxLength: 3 }), { minLength: 50, maxLength: 50 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 10, maxLength: 10 }),
        (scripts, intervals) => {
          const clock = createVirtualClock(0);
          const scheduler = sharedScheduler(clock);
          let step = 0;
          const tasks: Task[] = intervals.map((interval, name) => {
            const task: Task = {
              name,
              ran: [],
              dueAt: interval,
              run(now) {
                task.ran.push(now);
                if (task.dueAt - now > 20) return;
                task.dueAt = now + interval;
                for (const a of scripts[step++ % scripts.length] ?? []) {
                  const other = tasks[a.other] as Task;
                  if (a.kind === 'delete') scheduler.delete(other);
                  else if (a.kind === 'add') {
                    if (!other.scheduled) other.dueAt = clock.now() + a.delta;
                    scheduler.add(other);
                  } else if (a.kind === 'earlier' && other.scheduled) {
                    other.dueAt = Math.max(clock.now(), other.dueAt - a.delta);
                    scheduler.reschedule(other);
                  } else if (a.kind === 'later' && other.scheduled) other.dueAt += a.delta;
                  else if (a.kind === 'self-delete') scheduler.delete(task);
                  else if (a.kind === 'self-readd') {
                    scheduler.delete(task);
                    scheduler.add(task);
                  }
                }
              },
            };
            return task;
          });
          for (const t of tasks) scheduler.add(t);
          for (let i = 0; i < 3000; i++) {
            clock.advance(1);
            const now = clock.now();
            for (const t of tasks) if (t.scheduled) expect([t.name, now, t.dueAt >= now]).toEqual([t.name, now, true]);
          }
          for (const t of tasks) scheduler.delete(t);
          expect(scheduler.size).toBe(0);
          // Out of the heap at once (nothing holds a stopped heartbeat until its time comes).
          expect(tasks.map((t) => [t.index, t.at])).toEqual(tasks.map(() => [undefined, undefined]));
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});
