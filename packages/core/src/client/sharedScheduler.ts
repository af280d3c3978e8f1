import type { Clock, TimerHandle } from '../clock';
import { type Placed, placeAt, unplace } from './minHeap';

/** One thing the shared scheduler runs when `dueAt` has passed. */
export interface ScheduledTask extends Placed {
  dueAt: number;
  run(now: number): void;
  /**
   * The scheduler's own marks, kept on the task (a Set and a Map of them cost every idle client
   * ~100 B, a heap entry per task ~40 B more): whether it is scheduled, and (`Placed`) the time
   * it is queued under in the heap and its place there.
   */
  scheduled?: boolean;
}

/** Tasks due within this many ms of a firing run together, so N clients share wake-ups. */
export const COALESCE_MS = 20;

/**
 * One timer for every heartbeat on a clock, however many clients there are: 10 000 idle
 * clients cost one pending timer, not 10 000. Between firings a task's `dueAt` moves later
 * unannounced (traffic postpones a ping) or earlier through `reschedule`, so the timer may fire
 * early and re-arm; it never fires late.
 */
export interface SharedScheduler {
  add(task: ScheduledTask): void;
  /** `task` is due earlier than the timer: re-arm (unless the task has just been removed). */
  reschedule(task: ScheduledTask): void;
  delete(task: ScheduledTask): void;
  /** For tests and leak checks. */
  readonly size: number;
}

// A closure, not a class: one per clock, and its internals are no one else's business.
function createScheduler(clock: Clock): SharedScheduler {
  let size = 0;
  // A min-heap by due time, so a firing reads only what is due, not every task (10 000 clients
  // spread over an interval made each firing walk all of them). Lazy: a task stays under the
  // time it was queued under (`at`); traffic moving it later is found when that time comes.
  const heap: ScheduledTask[] = [];
  let timer: TimerHandle | undefined;
  let timerDueAt = Infinity;
  const disarm = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerDueAt = Infinity;
  };
  const arm = (dueAt: number) => {
    disarm();
    timerDueAt = dueAt;
    timer = clock.setTimeout(fire, Math.max(0, dueAt - clock.now()));
  };
  const fire = () => {
    timer = undefined;
    timerDueAt = Infinity;
    const now = clock.now();
    const due: ScheduledTask[] = [];
    for (let top = heap[0]; top && (top.at as number) <= now + COALESCE_MS; top = heap[0]) {
      if (top.dueAt > now + COALESCE_MS)
        placeAt(heap, top, top.dueAt); // traffic postponed it
      else {
        unplace(heap, top);
        due.push(top);
      }
    }
    for (const task of due) {
      if (!task.scheduled) continue;
      task.run(now);
      if (task.scheduled && task.index === undefined) placeAt(heap, task, task.dueAt);
    }
    const next = heap[0]?.at;
    if (next !== undefined && next < timerDueAt) arm(next);
  };
  const reschedule = (task: ScheduledTask) => {
    if (!task.scheduled) return;
    if (task.at !== task.dueAt) placeAt(heap, task, task.dueAt);
    if (task.dueAt < timerDueAt) arm(task.dueAt);
  };
  return {
    add(task) {
      if (task.scheduled) return;
      task.scheduled = true;
      size++;
      reschedule(task);
    },
    reschedule,
    delete(task) {
      if (!task.scheduled) return;
      task.scheduled = false;
      unplace(heap, task);
      if (--size > 0) return;
      disarm();
    },
    get size() {
      return size;
    },
  };
}

const schedulers = new WeakMap<Clock, SharedScheduler>();

/** The scheduler shared by every client on `clock`. */
export function sharedScheduler(clock: Clock): SharedScheduler {
  let scheduler = schedulers.get(clock);
  if (!scheduler) {
    scheduler = createScheduler(clock);
    schedulers.set(clock, scheduler);
  }
  return scheduler;
}
