package io.microsandbox.metrics.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.microsandbox.metrics.cli.internal.LogbackSetup;
import org.slf4j.LoggerFactory;

/**
 * Points logback at stderr with the level and format chosen on the command line, and silences the
 * OpenTelemetry SDK's own java.util.logging output.
 */
final class Logging {
  /**
   * The SDK's exporters log each failed request through java.util.logging, bypassing {@code
   * --log-format}; the collector's worker logs every failure already, with its outcome. Held here
   * because java.util.logging keeps loggers only weakly: a level set on a collected one is lost.
   */
  private static final java.util.logging.Logger SDK_EXPORTER_LOGS =
      java.util.logging.Logger.getLogger("io.opentelemetry.exporter");

  private Logging() {}

  static void configure(LogLevel level, TextOrJson format) {
    SDK_EXPORTER_LOGS.setLevel(java.util.logging.Level.OFF);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogbackSetup.apply(context, Level.toLevel(level.name(), Level.INFO), format == TextOrJson.JSON);
  }
}
