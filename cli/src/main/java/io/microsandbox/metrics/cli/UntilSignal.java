package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.RunningCollector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a started collector until SIGINT, SIGTERM or SIGHUP, then shuts it down (final drain,
 * exporter shutdown) and gives the exit code: 0, or 1 when the final drain lost collections or an
 * exporter failed (a final export that failed while the spool keeps everything is a clean stop, 0).
 * SIGHUP (a closed terminal or session) is a stop like SIGTERM: without a handler the JVM would
 * exit 129 at once and lose the buffer.
 *
 * <p>Why signal handlers rather than a shutdown hook: a hook runs while the JVM is already exiting
 * with status 130/143, and nothing it does can report the drain's outcome as the exit code. The
 * handlers only complete a future; the command's own thread does the work.
 */
final class UntilSignal {
  private static final Logger logger = LoggerFactory.getLogger(UntilSignal.class);
  // bound beyond the export timeout: the collector's own grace plus exporter shutdowns
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private UntilSignal() {}

  /** A future completed by the first SIGINT, SIGTERM or SIGHUP. */
  static CompletableFuture<String> signals() {
    CompletableFuture<String> stop = new CompletableFuture<>();
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> stop.complete("SIG" + s.getName()));
      } catch (IllegalArgumentException e) {
        logger.debug("cannot handle SIG{} here: {}", name, e.getMessage());
      }
    }
    return stop;
  }

  /**
   * Waits for {@code stop}, then shuts {@code running} down within {@code exportTimeout} plus a
   * grace.
   *
   * @return the exit code: 0 after a clean shutdown, 1 when the drain or a shutdown failed
   */
  static int run(RunningCollector running, CompletableFuture<String> stop, Duration exportTimeout)
      throws InterruptedException {
    String why;
    try {
      why = stop.get();
    } catch (ExecutionException e) {
      why = "stop requested";
    }
    logger.info("{}: stopping, exporting what is buffered", why);
    try {
      running.shutdown().get(exportTimeout.plus(SHUTDOWN_GRACE).toMillis(), TimeUnit.MILLISECONDS);
      logger.info("stopped");
      return 0;
    } catch (ExecutionException e) {
      // logged once where it happened (the final export, an exporter's shutdown); a stop with
      // every undelivered collection kept in a spool is not a failure and does not come here
      return 1;
    } catch (TimeoutException e) {
      logger.error(
          "shutdown did not finish within {} s", exportTimeout.plus(SHUTDOWN_GRACE).toSeconds());
      return 1;
    }
  }
}
