package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.registry.TimeSource;

/**
 * Time and timed work for one thread of the collector (the collect loop or one exporter's worker).
 * Its clocks are the project's one {@link TimeSource}. Tasks given to one scheduler run one at a
 * time, in due order, never concurrently: the worker's state relies on that. Production uses {@link
 * ExecutorScheduler}; tests use a manual scheduler that advances time by hand, so retry and backoff
 * are tested without sleeps.
 */
public interface Scheduler extends TimeSource {

  /**
   * Runs {@code task} once, {@code delayNanos} from now (0 = as soon as possible).
   *
   * @return cancels the task if it has not started; never null
   * @throws java.util.concurrent.RejectedExecutionException when the scheduler was shut down
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off if it has not started yet; does nothing otherwise. */
    void cancel();
  }
}
