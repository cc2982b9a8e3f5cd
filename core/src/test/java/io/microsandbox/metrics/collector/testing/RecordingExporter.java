package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.MetricsExporter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * A {@link MetricsExporter} for tests: records every batch it is handed (and when, by a given
 * clock) and answers from a script of results or behaviours, then with success. Thread-safe.
 */
public final class RecordingExporter implements MetricsExporter {
  private final String name;
  private final LongSupplier clock;
  private final Deque<Callable<ExportResult>> script = new ArrayDeque<>();
  private final List<ExportBatch> batches = new ArrayList<>();
  private final List<Long> callTimes = new ArrayList<>();
  private int shutdowns;
  private Exception shutdownFailure;

  /** An exporter named {@code name} stamping calls with {@code clock} (e.g. a scheduler's). */
  public RecordingExporter(String name, LongSupplier clock) {
    this.name = name;
    this.clock = clock;
  }

  /** An exporter named {@code name} stamping calls with {@link System#nanoTime()}. */
  public RecordingExporter(String name) {
    this(name, System::nanoTime);
  }

  /** The next calls answer {@code results}, in order; after the script, success. */
  public synchronized RecordingExporter thenReturn(ExportResult... results) {
    for (ExportResult r : results) {
      script.add(() -> r);
    }
    return this;
  }

  /** The next call runs {@code behaviour} (which may throw, block or return). */
  public synchronized RecordingExporter thenDo(Callable<ExportResult> behaviour) {
    script.add(behaviour);
    return this;
  }

  /** Makes {@link #shutdown()} throw {@code failure}. */
  public synchronized RecordingExporter failShutdownWith(Exception failure) {
    this.shutdownFailure = failure;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExportResult export(ExportBatch batch) throws Exception {
    Callable<ExportResult> next;
    synchronized (this) {
      batches.add(batch);
      callTimes.add(clock.getAsLong());
      next = script.poll();
    }
    return next == null ? ExportResult.success(batch.sampleCount()) : next.call();
  }

  @Override
  public synchronized void shutdown() throws Exception {
    shutdowns++;
    if (shutdownFailure != null) {
      throw shutdownFailure;
    }
  }

  /** Every batch handed over, in call order. */
  public synchronized List<ExportBatch> batches() {
    return new ArrayList<>(batches);
  }

  /** The clock reading at each call. */
  public synchronized List<Long> callTimes() {
    return new ArrayList<>(callTimes);
  }

  /** Calls so far. */
  public synchronized int calls() {
    return batches.size();
  }

  /** Times {@link #shutdown()} was called. */
  public synchronized int shutdowns() {
    return shutdowns;
  }
}
