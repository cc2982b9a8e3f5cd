package io.microsandbox.metrics.cli;

/** Values of {@code --log-format}. */
enum LogFormat {
  TEXT,
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
