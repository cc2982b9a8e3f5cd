package io.microsandbox.metrics.collector.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the tests' slf4j-simple provider writes (it writes each line to the current {@link
 * System#err}) while open; the lines also still reach the real stderr when closed.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   ...
 *   assertThat(log.lines("exporter rec")).hasSize(1);
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private LogCapture() {
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Every line logged so far. */
  public synchronized List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** The lines logged so far that contain {@code text}. */
  public List<String> lines(String text) {
    return lines().stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    System.setErr(original);
    original.print(bytes.toString(StandardCharsets.UTF_8));
  }
}
