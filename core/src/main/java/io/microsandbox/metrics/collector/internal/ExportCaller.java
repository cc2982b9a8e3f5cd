package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.MetricsExporter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Calls one exporter on threads of its own ({@code msb-metrics-export-<name>}) so that the worker
 * can give up at the export timeout even when the exporter ignores interruption. At the timeout the
 * call thread is interrupted and abandoned; until that call returns, further exports fail fast
 * instead of running concurrently, which keeps {@link MetricsExporter}'s one call at a time
 * promise.
 *
 * <p>At the timeout the call gets a short grace (250 ms) to return after its interrupt: an exporter
 * that answers the interrupt by returning tells what it had delivered ({@link
 * ExportResult#afterAccepting}), and those collections are not sent again; one that returns a
 * success was done. A call that succeeds later than that was already counted as failed and its
 * batch restored: the batch is then sent twice (a duplicate, never a loss).
 */
public final class ExportCaller {
  // how long a timed-out call may take to return after its interrupt, to report its progress
  private static final long REPORT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final ExecutorService threads;
  private final AtomicBoolean exportRunning = new AtomicBoolean();

  /**
   * Creates the caller.
   *
   * @param exporterName used in the threads' names
   */
  public ExportCaller(String exporterName) {
    this.threads =
        Executors.newCachedThreadPool(
            new NamedThreadFactory(NamedThreadFactory.PREFIX + "export-" + exporterName));
  }

  /**
   * Exports {@code batch}, waiting at most {@code timeoutNanos}. Never throws: exceptions, timeouts
   * and a null result become retryable results with a one-line message, except a {@link
   * LinkageError} (a library missing or of another version), which is {@link ExportResult#fatal}.
   */
  public ExportResult export(MetricsExporter exporter, ExportBatch batch, long timeoutNanos) {
    if (!exportRunning.compareAndSet(false, true)) {
      return ExportResult.retryable(
          "the previous export call is still running past its timeout; not calling again");
    }
    Outcome<ExportResult> outcome =
        run(
            () -> {
              try {
                return exporter.export(batch);
              } finally {
                exportRunning.set(false);
              }
            },
            timeoutNanos,
            () -> exportRunning.set(false));
    if (outcome.fatal) {
      return ExportResult.fatal(
          "the exporter cannot run in this JVM ("
              + outcome.error
              + "): a library it needs is"
              + " missing or of another version");
    }
    if (outcome.error != null) {
      ExportResult late = outcome.value;
      if (late != null && late.isSuccess()) {
        return late; // finished as the timeout hit: delivered, nothing to send again
      }
      ExportResult failed = ExportResult.retryable(outcome.error);
      return late == null || late.acceptedCollections() == 0
          ? failed
          : failed.afterAccepting(late.acceptedCollections(), late.exportedPoints());
    }
    if (outcome.value == null) {
      return ExportResult.retryable("exporter returned null instead of an ExportResult");
    }
    return outcome.value;
  }

  /**
   * Calls {@code exporter.shutdown()}, waiting at most {@code timeoutNanos}.
   *
   * @return a one-line description of the failure, or null when it returned normally
   */
  public @Nullable String shutdownExporter(MetricsExporter exporter, long timeoutNanos) {
    return run(
            () -> {
              exporter.shutdown();
              return Boolean.TRUE;
            },
            timeoutNanos,
            () -> {})
        .error;
  }

  /** Whether an export call is still running (for example one that outlived its timeout). */
  boolean isExportRunning() {
    return exportRunning.get();
  }

  /** Stops the call threads, interrupting any call still running. */
  public void close() {
    threads.shutdownNow();
  }

  /**
   * Waits up to {@code millis} for the call threads to end.
   *
   * @return whether they all ended
   */
  public boolean awaitClosed(long millis) throws InterruptedException {
    return threads.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  private <T> Outcome<T> run(Callable<T> body, long timeoutNanos, Runnable notStarted) {
    Call<T> call = new Call<>(body);
    try {
      threads.execute(call);
    } catch (RejectedExecutionException e) {
      notStarted.run();
      return Outcome.failed("the collector is shutting down");
    }
    try {
      return Outcome.of(call.result.get(timeoutNanos, TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      call.interrupt();
      String timedOut = "timed out after " + DurationText.ofNanos(timeoutNanos);
      try {
        // an exporter that answers the interrupt at once tells what it delivered before it
        return Outcome.late(timedOut, call.result.get(REPORT_GRACE_NANOS, TimeUnit.NANOSECONDS));
      } catch (TimeoutException | ExecutionException ignored) {
        return Outcome.failed(timedOut);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
        return Outcome.failed(timedOut);
      }
    } catch (ExecutionException e) {
      Throwable thrown = e.getCause();
      Throwable cause = thrown != null ? thrown : e;
      return cause instanceof LinkageError
          ? Outcome.fatal(describe(cause))
          : Outcome.failed(describe(cause));
    } catch (InterruptedException e) {
      call.interrupt();
      Thread.currentThread().interrupt();
      return Outcome.failed("interrupted while waiting for the exporter");
    }
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
  }

  private static final class Outcome<T> {
    final @Nullable T value;
    final @Nullable String error;
    // the call threw a LinkageError: the exporter cannot work in this JVM
    final boolean fatal;

    private Outcome(@Nullable T value, @Nullable String error, boolean fatal) {
      this.value = value;
      this.error = error;
      this.fatal = fatal;
    }

    static <T> Outcome<T> of(T value) {
      return new Outcome<>(value, null, false);
    }

    static <T> Outcome<T> failed(String error) {
      return new Outcome<>(null, error, false);
    }

    static <T> Outcome<T> fatal(String error) {
      return new Outcome<>(null, error, true);
    }

    /** Failed (timed out), but the call still returned {@code value} when interrupted. */
    static <T> Outcome<T> late(String error, @Nullable T value) {
      return new Outcome<>(value, error, false);
    }
  }

  /** One call on a pooled thread; interrupts only its own thread, and only while it runs. */
  private static final class Call<T> implements Runnable {
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Callable<T> body;
    private @Nullable Thread thread;
    private boolean finished;

    Call(Callable<T> body) {
      this.body = body;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
      }
      try {
        result.complete(body.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        synchronized (this) {
          finished = true;
          thread = null;
        }
        // A pooled thread must not carry our interrupt into its next call.
        Thread.interrupted();
      }
    }

    synchronized void interrupt() {
      if (thread != null && !finished) {
        thread.interrupt();
      }
    }
  }
}
