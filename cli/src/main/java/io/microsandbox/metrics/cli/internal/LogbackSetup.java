package io.microsandbox.metrics.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code: one stderr appender, text or JSON lines.
 *
 * <p>Logback finds this class through {@code META-INF/services} before it would look for a {@code
 * logback.xml}: until the command line is parsed, warnings and up go to stderr as text. Configuring
 * in code rather than from XML keeps logback's XML configurator (a SAX parser and a few hundred
 * classes, about a third of a second of a cold start) off the start-up path.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
  private static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} - %msg%n";

  /** Called by logback's service loader. */
  public LogbackSetup() {}

  /** Before the command line is parsed: warnings and up, as text. */
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    apply(context, Level.WARN, false);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Replaces the context's configuration: everything at {@code level} and up to stderr.
   *
   * @param context logback's context
   * @param level the root level
   * @param json one JSON object per line instead of text
   */
  public static void apply(LoggerContext context, Level level, boolean json) {
    context.reset();

    Encoder<ILoggingEvent> encoder;
    if (json) {
      JsonEncoder jsonEncoder = new JsonEncoder();
      jsonEncoder.setWithSequenceNumber(false);
      jsonEncoder.setWithNanoseconds(false);
      jsonEncoder.setWithContext(false);
      jsonEncoder.setWithArguments(false);
      jsonEncoder.setWithFormattedMessage(true);
      jsonEncoder.setWithMessage(false);
      encoder = jsonEncoder;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(TEXT_PATTERN);
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(stderr);
  }
}
