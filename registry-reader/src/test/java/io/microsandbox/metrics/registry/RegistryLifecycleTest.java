package io.microsandbox.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.testing.TestClocks;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Missing, appearing and recreated registries; dead owners; no kill() per slot per scan. */
class RegistryLifecycleTest {
  private static final int LIVE_PID = 1;
  @RegisterExtension final TempShm shm = new TempShm();

  private static void startSandbox(RegistryWriter writer, int id, int pid, long sampledAtMs) {
    SlotHandle slot = writer.reserve(id, "sb" + id, 0);
    slot.activate(id, pid, 1);
    slot.writeSample(SandboxSnapshot.builder().sampledAtMs(sampledAtMs).build());
  }

  @Test
  void missingIsNoSandboxesThenAppearingAndRecreatedRegistriesArePickedUp() {
    String name = shm.newName();
    try (RegistryReader reader = RegistryReader.open(name)) {
      RegistryScan missing = reader.scan(true);
      assertThat(missing.exists()).isFalse();
      assertThat(missing.snapshots()).isEmpty();

      try (RegistryWriter first = RegistryWriter.create(name, 2)) {
        startSandbox(first, 1, LIVE_PID, 10);
        RegistryScan scan = reader.scan(false);
        assertThat(scan.exists()).isTrue();
        assertThat(scan.capacity()).isEqualTo(2);
        assertThat(scan.snapshots()).extracting(SandboxSnapshot::sandboxId).containsExactly(1);
      }

      RegistryWriter.unlink(name);
      assertThat(reader.scan(false).exists()).isFalse();

      try (RegistryWriter second = RegistryWriter.create(name, 8)) {
        startSandbox(second, 7, LIVE_PID, 10);
        startSandbox(second, 8, LIVE_PID, 10);
        RegistryScan scan = reader.scan(false);
        assertThat(scan.capacity()).isEqualTo(8);
        assertThat(scan.snapshots()).extracting(SandboxSnapshot::sandboxId).containsExactly(7, 8);

        // unlinked and recreated between two scans: a new inode, noticed without a miss
        RegistryWriter.unlink(name);
        try (RegistryWriter third = RegistryWriter.create(name, 3)) {
          startSandbox(third, 9, LIVE_PID, 10);
          assertThat(reader.scan(false).snapshots())
              .extracting(SandboxSnapshot::sandboxId)
              .containsExactly(9);
          assertThat(reader.scan(false).capacity()).isEqualTo(3);
        }
      }
    }
  }

  @Test
  void closedReaderRefusesToScan() {
    RegistryReader reader = RegistryReader.open(shm.newName());
    reader.close();
    reader.close();
    assertThatThrownBy(() -> reader.scan(false)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deadOwnerIsReportedStaleWithoutWritingAndLeftOutOfTheActiveList() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    int deadPid = (int) child.pid();
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    RegistryWriter writer = shm.createRegistry(3);
    startSandbox(writer, 1, LIVE_PID, 1_000);
    startSandbox(writer, 2, deadPid, 1_000);
    byte[] before = ShmFiles.read(writer.name());

    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      assertThat(reader.scan(true).snapshots())
          .extracting(SandboxSnapshot::sandboxId, SandboxSnapshot::state)
          .containsExactly(tuple(1, SlotState.ACTIVE), tuple(2, SlotState.STALE));
      assertThat(reader.scan(false).snapshots())
          .extracting(SandboxSnapshot::sandboxId)
          .containsExactly(1);
    }
    assertThat(ShmFiles.read(writer.name())).isEqualTo(before);
  }

  @Test
  void ownersOfFreshSamplesAreNotCheckedAndOldOnesAreCheckedOncePerInterval() {
    RegistryWriter writer = shm.createRegistry(4);
    long now = 1_700_000_100_000L;
    startSandbox(writer, 1, 101, now - 1_000); // fresh
    startSandbox(writer, 2, 102, now - 60_000); // old: its owner must be checked
    startSandbox(writer, 3, 103, now - 60_000); // old and dead
    AtomicInteger checks = new AtomicInteger();
    AtomicLong monotonic = new AtomicLong();
    try (RegistryReader reader =
        RegistryReader.builder(writer.name())
            .timeSource(TestClocks.of(monotonic::get, () -> now))
            .freshSampleWindow(Duration.ofSeconds(5))
            .ownerRecheckInterval(Duration.ofSeconds(1))
            .processGoneCheck(
                pid -> {
                  checks.incrementAndGet();
                  assertThat(pid).isIn(102, 103);
                  return pid == 103;
                })
            .build()) {
      for (int i = 0; i < 10; i++) {
        assertThat(reader.scan(false).snapshots())
            .extracting(SandboxSnapshot::sandboxId)
            .containsExactly(1, 2);
      }
      assertThat(checks.get()).as("one check per old owner, then cached").isEqualTo(2);

      monotonic.addAndGet(Duration.ofSeconds(2).toNanos());
      reader.scan(false);
      assertThat(checks.get())
          .as("alive is re-checked after the interval, dead is final")
          .isEqualTo(3);
    }
  }

  @Test
  void withoutTheOptimisationEveryActiveOwnerIsCheckedEveryScan() {
    RegistryWriter writer = shm.createRegistry(4);
    startSandbox(writer, 1, 101, System.currentTimeMillis());
    startSandbox(writer, 2, 102, System.currentTimeMillis());
    AtomicInteger checks = new AtomicInteger();
    try (RegistryReader reader =
        RegistryReader.builder(writer.name())
            .freshSampleWindow(Duration.ZERO)
            .ownerRecheckInterval(Duration.ZERO)
            .processGoneCheck(pid -> checks.incrementAndGet() < 0)
            .build()) {
      for (int i = 0; i < 5; i++) {
        reader.scan(false);
      }
    }
    assertThat(checks.get()).isEqualTo(10);
  }
}
