package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import io.microsandbox.metrics.collector.spool.SpoolProvider;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import java.util.ServiceLoader;

/**
 * Everything one exporter runs on, built from its {@link ExporterSettings}: its buffer (memory, or
 * its spool with a memory window), its worker, the worker's thread ({@code
 * msb-metrics-worker-<name>}) and its call threads ({@link ExportCaller}).
 */
final class ExporterPipeline {
  private final ExporterSettings settings;
  private final ExecutorScheduler scheduler;
  private final ExportCaller caller;
  private final ExporterWorker worker;

  private ExporterPipeline(ExporterSettings settings, ExporterBuffer buffer, CollectStats stats) {
    this.settings = settings;
    this.scheduler = new ExecutorScheduler(NamedThreadFactory.PREFIX + "worker-" + settings.name());
    this.caller = new ExportCaller(settings.name());
    this.worker = new ExporterWorker(settings, buffer, scheduler, caller, stats);
  }

  /**
   * Opens the exporter's buffer (its spool, when the settings have one, so that a spool directory
   * in use by another process stops the start before any thread runs) and builds the pipeline;
   * nothing runs until {@link #start()}.
   *
   * @throws SpoolInUseException when another process holds the spool directory
   * @throws IllegalStateException when a spool is configured but no spool implementation is present
   */
  static ExporterPipeline open(ExporterSettings settings, CollectStats stats) {
    return new ExporterPipeline(settings, openBuffer(settings), stats);
  }

  private static ExporterBuffer openBuffer(ExporterSettings s) {
    if (s.spool().isEmpty()) {
      return new SnapshotBuffer(s.maxBuffered());
    }
    SpoolSettings spool = s.spool().get();
    SpoolProvider provider =
        s.spoolProvider()
            .or(() -> ServiceLoader.load(SpoolProvider.class).findFirst())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "exporter "
                            + s.name()
                            + ": a spool directory is set but no spool implementation is on"
                            + " the class path (add the msb-metrics-spool module)"));
    return new SpooledBuffer(s.name(), provider.open(s.name(), spool), s.maxBuffered());
  }

  /** The exporter's collector-unique name. */
  String name() {
    return settings.name();
  }

  /** The exporter's export timeout. */
  long exportTimeoutNanos() {
    return settings.exportTimeout().toNanos();
  }

  /** The worker that the collect thread offers to. */
  ExporterWorker worker() {
    return worker;
  }

  /** Schedules the worker's first attempt. */
  void start() {
    worker.start();
  }

  /**
   * Releases the buffer of a pipeline that never started (another exporter's spool could not be
   * opened).
   */
  void closeUnstarted() {
    caller.close();
    scheduler.shutdown(0);
    worker.closeBuffer();
  }

  /**
   * Ends the threads after the final drain: the call threads are interrupted, the worker's thread
   * stops, flushes that never ran complete as retryable.
   *
   * @param waitMillis how long to wait for the worker's thread and then for the call threads
   * @return whether the call threads ended (false: an export call ignores interruption)
   */
  boolean stopThreads(long waitMillis) throws InterruptedException {
    caller.close();
    scheduler.shutdown(Math.max(1, waitMillis));
    worker.abandonPendingFlushes();
    return caller.awaitClosed(Math.max(1, waitMillis));
  }
}
