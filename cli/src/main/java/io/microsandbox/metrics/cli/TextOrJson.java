package io.microsandbox.metrics.cli;

import java.util.Locale;

/**
 * The values of every format flag: {@code --log-format}, {@code snapshot --format} and {@code
 * stdout --format} all choose between human-readable text and one JSON object per line.
 */
enum TextOrJson {
  TEXT,
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
