package io.microsandbox.metrics.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * While a full-screen view owns the terminal, log lines on stderr would scribble over it: this
 * takes the console appenders off the root logger and keeps the latest warning or error instead,
 * for the view's status line. Closing puts the appenders back.
 *
 * <p>A warning stays on the status line until the condition it reports is over: a later INFO from
 * the same logger (the catalog's "available again", a recovery) takes it off at once, so a
 * recovered catalog does not keep saying "WARN catalog unavailable".
 */
final class ScreenLog implements AutoCloseable {
  private final Logger root;
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> capture;
  private volatile @Nullable Note latest;

  /** The warning shown and the logger that wrote it. */
  private record Note(String text, String logger) {}

  private ScreenLog() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      detached.add(it.next());
    }
    capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
              latest =
                  new Note(
                      event.getLevel() + " " + event.getFormattedMessage(), event.getLoggerName());
            } else if (event.getLevel() == Level.INFO) {
              Note shown = latest;
              if (shown != null && shown.logger().equals(event.getLoggerName())) {
                latest = null; // what that logger warned about is over
              }
            }
          }
        };
    capture.setContext(context);
    capture.setName("screen");
    capture.start();
    root.addAppender(capture);
    detached.forEach(root::detachAppender);
  }

  /** Diverts the root logger's console output until {@link #close()}. */
  static ScreenLog divert() {
    return new ScreenLog();
  }

  /** The latest warning or error logged since {@link #divert()}, or null. */
  @Nullable String latest() {
    Note shown = latest;
    return shown == null ? null : shown.text();
  }

  @Override
  public void close() {
    detached.forEach(root::addAppender);
    root.detachAppender(capture);
    capture.stop();
  }
}
