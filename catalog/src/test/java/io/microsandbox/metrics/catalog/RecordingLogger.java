package io.microsandbox.metrics.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An slf4j logger that keeps what it was told, so tests can count warnings. Thread-safe. */
public final class RecordingLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final List<String> lines = new ArrayList<>();

  /** Creates an empty recording logger. */
  public RecordingLogger() {
    this.name = "recording";
  }

  /** The formatted messages logged at {@code level}, in order. */
  public synchronized List<String> at(Level level) {
    String prefix = level + " ";
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .collect(Collectors.toList());
  }

  /** Forgets everything logged so far. */
  public synchronized void clear() {
    lines.clear();
  }

  @Override
  protected synchronized void handleNormalizedLoggingCall(
      Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
    lines.add(level + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  public boolean isTraceEnabled() {
    return true;
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }
}
