package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.RunningCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the collector inside Spring's graceful shutdown: at its phase's stop the collector stops
 * collecting, makes its final export through every exporter (bounded by the export timeout) and
 * shuts the exporters down, and Spring waits for it within {@code
 * spring.lifecycle.timeout-per-shutdown-phase}. The phase is below the web server's, so the
 * application keeps serving fresh sandbox metrics while it drains its requests, and the collector
 * is the last to stop.
 */
public class MicrosandboxCollectorLifecycle implements SmartLifecycle {
  /** Below the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and its stop. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger logger =
      LoggerFactory.getLogger(MicrosandboxCollectorLifecycle.class);

  private final RunningCollector collector;
  private volatile boolean running;

  /** Manages {@code collector}, which the context started when it created the bean. */
  public MicrosandboxCollectorLifecycle(RunningCollector collector) {
    this.collector = collector;
  }

  @Override
  public void start() {
    running = true; // the collector started with its bean; nothing to start twice
  }

  @Override
  public void stop() {
    collector.close();
    running = false;
  }

  @Override
  public void stop(Runnable callback) {
    collector
        .shutdown()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                logger.warn(
                    "the microsandbox collector's final drain failed: {}", error.toString());
              }
              running = false;
              callback.run();
            });
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
