package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.registry.TimeSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} backed by one dedicated daemon thread and the system clocks. Daemon, because
 * an embedder that forgets {@code shutdown()} must still be able to exit.
 */
public final class ExecutorScheduler implements Scheduler {
  private static final Logger logger = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  /**
   * Creates the scheduler and its thread.
   *
   * @param threadName the thread's name, {@code msb-metrics-...}
   */
  public ExecutorScheduler(String threadName) {
    this.executor = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory(threadName));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public long nanoTime() {
    return TimeSource.SYSTEM.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return TimeSource.SYSTEM.currentTimeMillis();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f =
        executor.schedule(() -> runLogged(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /**
   * Stops accepting tasks, lets the running one finish for up to {@code waitMillis}, then
   * interrupts it.
   *
   * @return whether the thread ended in time
   */
  public boolean shutdown(long waitMillis) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        return true;
      }
      executor.shutdownNow();
      return executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // An escaping exception would be swallowed by the executor's future; log it instead so a bug
  // in a task is visible. The tasks themselves reschedule in finally blocks.
  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      logger.error("unexpected failure in a collector task", t);
    }
  }
}
