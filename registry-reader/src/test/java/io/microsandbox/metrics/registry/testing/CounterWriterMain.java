package io.microsandbox.metrics.registry.testing;

import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;

/**
 * A separate writer process for concurrency tests: attaches to an existing registry, reserves one
 * slot owned by its own pid and writes {@link CounterSamples} as fast as it can for the given time,
 * then prints how many samples it wrote.
 *
 * <p>Arguments: {@code <shm name> <sandbox id> <run millis>}.
 */
public final class CounterWriterMain {
  private CounterWriterMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    String name = args[0];
    int sandboxId = Integer.parseInt(args[1]);
    long runNanos = Long.parseLong(args[2]) * 1_000_000L;
    try (RegistryWriter writer = RegistryWriter.open(name)) {
      SlotHandle slot = writer.reserve(sandboxId, "counter-" + sandboxId, 0);
      slot.activate(sandboxId, (int) ProcessHandle.current().pid(), 1);
      long start = System.nanoTime();
      long counter = 0;
      while (System.nanoTime() - start < runNanos) {
        slot.writeSample(CounterSamples.sample(++counter));
      }
      System.out.println(counter);
    }
  }
}
