package io.microsandbox.metrics.collector.testing;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Finds the collector's threads ({@code msb-metrics-...}) and waits for conditions, bounded. */
public final class OurThreads {
  private OurThreads() {}

  /** Names of the live threads whose name starts with {@code msb-metrics-}. */
  public static List<String> alive() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("msb-metrics-"))
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Polls {@code condition} every 5 ms for up to {@code millis}.
   *
   * @return whether it became true
   */
  public static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
