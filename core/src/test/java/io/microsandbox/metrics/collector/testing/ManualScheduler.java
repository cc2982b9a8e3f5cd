package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.collector.internal.Scheduler;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose time moves only when a test says so: {@link #advance} runs every task
 * that falls due, in order, on the calling thread. Makes retry and backoff tests deterministic and
 * sleep-free.
 */
public final class ManualScheduler implements Scheduler {
  /** The wall clock at nano time 0: 2026-05-30T02:44:31Z. */
  public static final long EPOCH_MS = 1_780_109_071_000L;

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return EPOCH_MS + TimeUnit.NANOSECONDS.toMillis(now);
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(now + Math.max(0, delayNanos), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        tasks.remove(t);
      }
    };
  }

  /** Runs the tasks due now (including those they schedule for now). */
  public void runDue() {
    advance(0);
  }

  /** Moves time forward by {@code nanos}, running every task that falls due, in order. */
  public void advance(long nanos) {
    long target;
    synchronized (this) {
      target = now + nanos;
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.due);
      }
      next.task.run();
    }
  }

  /** Moves time forward by {@code millis} milliseconds. */
  public void advanceMillis(long millis) {
    advance(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Tasks waiting. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** Nanoseconds until the earliest waiting task, or -1 when none. */
  public synchronized long nanosToNext() {
    Task t = tasks.peek();
    return t == null ? -1 : t.due - now;
  }

  private static final class Task {
    final long due;
    final long seq;
    final Runnable task;

    Task(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }
  }
}
