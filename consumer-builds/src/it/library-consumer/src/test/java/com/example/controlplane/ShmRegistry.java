package com.example.controlplane;

import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.file.Path;

/**
 * A registry for a temporary microsandbox home, one running sandbox in it: the published writer.
 */
final class ShmRegistry implements AutoCloseable {
  private final RegistryWriter writer;

  ShmRegistry(Path msbHome) {
    writer = RegistryWriter.create(RegistryName.forHome(msbHome.toString()), 4);
    SlotHandle slot = writer.reserve(7, "devbox", 1L << 30);
    long now = System.currentTimeMillis();
    slot.activate(1, (int) ProcessHandle.current().pid(), now);
    slot.writeSample(
        SandboxSnapshot.builder().sampledAtMs(now).sampleFlags(0x7f).cpuPercent(12.5f).build());
  }

  /**
   * Waits (at most 30 s) until {@code collector} has collected once, so that a flush has something
   * to send.
   */
  static void awaitFirstCollection(RunningCollector collector) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (collector.latest().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no collection within 30 s: " + collector.status());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    writer.close();
    writer.unlink();
  }
}
