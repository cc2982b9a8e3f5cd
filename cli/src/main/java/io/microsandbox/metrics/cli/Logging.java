package io.microsandbox.metrics.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.microsandbox.metrics.cli.internal.LogbackSetup;
import org.slf4j.LoggerFactory;

/** Points logback at stderr with the level and format chosen on the command line. */
final class Logging {
  private Logging() {}

  static void configure(LogLevel level, TextOrJson format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogbackSetup.apply(context, Level.toLevel(level.name(), Level.INFO), format == TextOrJson.JSON);
  }
}
