package io.microsandbox.metrics.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import io.microsandbox.metrics.registry.testing.TestClocks;
import io.microsandbox.metrics.series.SandboxSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator's invariants, read back through the real registry reader. Time is synthetic (ticks
 * are passed explicitly), so a two-minute scenario takes milliseconds.
 */
@Timeout(30)
class DemoRegistryTest {
  private static final long GIB = 1L << 30;
  private static final DemoTimeline QUIET =
      new DemoTimeline(
          Duration.ofDays(1),
          Duration.ofHours(12),
          Duration.ofDays(2),
          Duration.ofHours(1),
          Duration.ofDays(2));

  /** The cumulative counters: they only rise within a run and start from zero in a new one. */
  private static final List<SampleField> COUNTERS =
      List.of(
          SampleField.VCPU_TIME_NS,
          SampleField.DISK_READ_BYTES,
          SampleField.DISK_WRITE_BYTES,
          SampleField.NET_RX_BYTES,
          SampleField.NET_TX_BYTES);

  /** The counters plus the writable image's host allocation, which the demo only grows. */
  private static final List<SampleField> RISING_WITHIN_A_RUN =
      Stream.concat(COUNTERS.stream(), Stream.of(SampleField.UPPER_HOST_ALLOCATED_BYTES))
          .collect(Collectors.toUnmodifiableList());

  private long now = System.currentTimeMillis();

  /** A reader on the synthetic clock that checks every owner pid on every scan. */
  private RegistryReader reader(DemoRegistry demo) {
    return RegistryReader.builder(demo.registryName())
        .timeSource(TestClocks.wallClock(() -> now))
        .freshSampleWindow(Duration.ZERO)
        .ownerRecheckInterval(Duration.ZERO)
        .build();
  }

  private static Map<Integer, SandboxSnapshot> byId(List<SandboxSnapshot> snapshots) {
    return snapshots.stream().collect(Collectors.toMap(SandboxSnapshot::sandboxId, s -> s));
  }

  @Test
  void countersOnlyRiseWithinARunAndMemoryStaysUnderItsLimit() throws Exception {
    try (DemoRegistry demo = DemoRegistry.start(5, QUIET, now);
        RegistryReader reader = reader(demo)) {
      Map<Integer, SandboxSnapshot> previous = byId(reader.snapshot(false));
      assertThat(previous).hasSize(5);
      Map<Integer, Set<Float>> cpuValues = new HashMap<>();
      Map<Integer, int[]> memoryDirections = new HashMap<>();
      for (int tick = 1; tick <= 180; tick++) {
        now += 1000;
        assertThat(demo.tick(now)).isEmpty();
        Map<Integer, SandboxSnapshot> current = byId(reader.snapshot(false));
        assertThat(current).hasSize(5);
        for (SandboxSnapshot s : current.values()) {
          SandboxSnapshot p = previous.get(s.sandboxId());
          assertThat(s.runId()).isEqualTo(p.runId());
          assertThat(s.sampledAtMs()).isEqualTo(now);
          for (SampleField counter : RISING_WITHIN_A_RUN) {
            assertThat(Long.compareUnsigned(s.raw(counter), p.raw(counter)))
                .as("%s of %s at tick %d", counter, s.name(), tick)
                .isNotNegative();
          }
          long limit = s.raw(SampleField.MEMORY_LIMIT_BYTES);
          assertThat(s.raw(SampleField.MEMORY_BYTES)).isPositive().isLessThan(limit);
          assertThat(s.raw(SampleField.MEMORY_AVAILABLE_BYTES))
              .isEqualTo(limit - s.raw(SampleField.MEMORY_BYTES));
          assertThat(s.raw(SampleField.UPPER_USED_BYTES) + s.raw(SampleField.UPPER_FREE_BYTES))
              .isEqualTo(4 * GIB);
          assertThat(s.cpuPercent()).isBetween(0f, 400f);
          assertThat(s.has(SampleField.UPPER_USED_BYTES)).isTrue();
          cpuValues.computeIfAbsent(s.sandboxId(), k -> new HashSet<>()).add(s.cpuPercent());
          int[] dirs = memoryDirections.computeIfAbsent(s.sandboxId(), k -> new int[2]);
          long dm = s.raw(SampleField.MEMORY_BYTES) - p.raw(SampleField.MEMORY_BYTES);
          dirs[0] += dm > 0 ? 1 : 0;
          dirs[1] += dm < 0 ? 1 : 0;
        }
        previous = current;
      }
      // believable: values move, memory both grows and shrinks, counters actually count
      cpuValues.values().forEach(v -> assertThat(v).hasSizeGreaterThan(100));
      memoryDirections.values().forEach(d -> assertThat(Math.min(d[0], d[1])).isGreaterThan(10));
      previous.values().forEach(s -> assertThat(s.raw(SampleField.DISK_READ_BYTES)).isPositive());
      previous.values().forEach(s -> assertThat(s.raw(SampleField.NET_RX_BYTES)).isPositive());
    }
  }

  @Test
  void aRestartIsAFreshSlotGenerationWithCountersFromZero() throws Exception {
    DemoTimeline timeline =
        new DemoTimeline(
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofDays(1),
            Duration.ofSeconds(5),
            Duration.ofDays(1));
    try (DemoRegistry demo = DemoRegistry.start(3, timeline, now);
        RegistryReader reader = reader(demo)) {
      DemoEvent stopped = lastEventOver(demo, 10);
      assertThat(stopped).isNotNull();
      assertThat(stopped.kind()).isEqualTo(DemoEvent.Kind.STOPPED);
      int id = stopped.sandboxId();
      SandboxSnapshot beforeStop = byId(reader.snapshot(true)).get(id);
      assertThat(beforeStop.state()).isEqualTo(SlotState.STALE);
      assertThat(beforeStop.raw(SampleField.DISK_READ_BYTES)).isPositive();
      assertThat(byId(reader.snapshot(false))).doesNotContainKey(id).hasSize(2);

      List<DemoEvent> restart = List.of();
      for (int t = 11; t <= 15 && restart.isEmpty(); t++) {
        now += 1000;
        restart = demo.tick(now);
      }
      assertThat(restart).hasSize(1);
      DemoEvent e = restart.get(0);
      assertThat(e.kind()).isEqualTo(DemoEvent.Kind.RESTARTED);
      assertThat(e.sandboxId()).isEqualTo(id);
      assertThat(e.generation()).isGreaterThan(stopped.generation());
      assertThat(e.runId()).isNotEqualTo(stopped.runId());
      SandboxSnapshot restarted = byId(reader.snapshot(false)).get(id);
      assertThat(restarted.state()).isEqualTo(SlotState.ACTIVE);
      assertThat(restarted.runId()).isEqualTo(restart.get(0).runId());
      assertThat(restarted.startedAtMs()).isEqualTo(now);
      for (SampleField counter : COUNTERS) {
        assertThat(restarted.raw(counter)).as("%s after restart", counter).isZero();
      }
    }
  }

  @Test
  void theKilledSandboxLeavesAnActiveSlotWithADeadOwnerAndRestartsElsewhere() throws Exception {
    DemoTimeline timeline =
        new DemoTimeline(
            Duration.ofDays(1),
            Duration.ofHours(12),
            Duration.ofSeconds(5),
            Duration.ofSeconds(3),
            Duration.ofDays(1));
    try (DemoRegistry demo = DemoRegistry.start(3, timeline, now);
        RegistryReader reader = reader(demo)) {
      DemoEvent killed = lastEventOver(demo, 5);
      assertThat(killed).isNotNull();
      assertThat(killed.kind()).isEqualTo(DemoEvent.Kind.KILLED);
      assertThat(killed.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(ProcessHandle.of(killed.pid())).as("the owner process is gone").isEmpty();
      int id = killed.sandboxId();
      assertThat(byId(reader.snapshot(false))).doesNotContainKey(id);
      SandboxSnapshot dead = byId(reader.snapshot(true)).get(id);
      assertThat(dead.state()).isEqualTo(SlotState.STALE);
      assertThat(dead.pid()).isEqualTo((int) killed.pid());

      List<DemoEvent> restart = List.of();
      for (int t = 6; t <= 8 && restart.isEmpty(); t++) {
        now += 1000;
        restart = demo.tick(now);
      }
      assertThat(restart).hasSize(1);
      assertThat(restart.get(0).kind()).isEqualTo(DemoEvent.Kind.RESTARTED);
      assertThat(restart.get(0).slot())
          .as("the dead slot is still taken")
          .isNotEqualTo(killed.slot());
      assertThat(byId(reader.snapshot(false))).containsKey(id).hasSize(3);
    }
  }

  @Test
  void aLiveResizeChangesTheCatalogAndTheExportedLimitWhileTheRegistryKeepsTheBootValue()
      throws Exception {
    DemoTimeline timeline =
        new DemoTimeline(
            Duration.ofDays(1),
            Duration.ofHours(12),
            Duration.ofDays(2),
            Duration.ofHours(1),
            Duration.ofSeconds(5));
    try (DemoRegistry demo = DemoRegistry.start(3, timeline, now);
        RegistryReader reader = reader(demo);
        CatalogMetadataSource catalog =
            CatalogMetadataSource.builder().msbHome(demo.msbHome()).build()) {
      for (int t = 1; t <= 4; t++) {
        now += 1000;
        demo.tick(now);
      }
      SandboxSnapshot before = byId(reader.snapshot(false)).get(2);
      Allocation booted = catalog.metadataFor(List.of(before)).get(2).allocation();
      assertThat(booted.cpus()).as("web: 2 vCPUs").isEqualTo(2);
      assertThat(booted.memoryLimitBytes()).hasValue(before.raw(SampleField.MEMORY_LIMIT_BYTES));
      assertThat(booted.maxMemoryMib()).isEqualTo(2 * booted.memoryMib());

      now += 1000;
      List<DemoEvent> events = demo.tick(now);

      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.kind()).isEqualTo(DemoEvent.Kind.RESIZED);
                assertThat(e.sandboxId()).isEqualTo(2);
                assertThat(e.memoryMib()).isEqualTo(2 * booted.memoryMib());
              });
      SandboxSnapshot after = byId(reader.snapshot(false)).get(2);
      Allocation resized = catalog.metadataFor(List.of(after)).get(2).allocation();
      assertThat(resized.memoryMib()).isEqualTo(2 * booted.memoryMib());
      assertThat(after.raw(SampleField.MEMORY_LIMIT_BYTES))
          .as("the registry keeps the boot value")
          .isEqualTo(before.raw(SampleField.MEMORY_LIMIT_BYTES));
      long exportedBefore = SandboxSeries.MEMORY_LIMIT.longValue(before, booted);
      long exportedAfter = SandboxSeries.MEMORY_LIMIT.longValue(after, resized);
      assertThat(exportedAfter).isEqualTo(2 * exportedBefore);
      double usedBefore = (double) before.raw(SampleField.MEMORY_BYTES) / exportedBefore;
      double usedAfter = (double) after.raw(SampleField.MEMORY_BYTES) / exportedAfter;
      assertThat(usedAfter).as("utilisation against the limit").isLessThan(0.75 * usedBefore);
    }
  }

  @Test
  void closeRemovesTheSharedMemoryAndTheTemporaryHome() throws Exception {
    DemoRegistry demo = DemoRegistry.start(2, QUIET, now);
    Path shm = Path.of("/dev/shm", demo.registryName().substring(1));
    Path home = demo.msbHome();
    try {
      assertThat(shm).exists();
      assertThat(home.resolve("db/msb.db")).isRegularFile();
    } finally {
      demo.close();
    }
    assertThat(shm).doesNotExist();
    assertThat(Files.exists(home)).isFalse();
    demo.close(); // idempotent
    assertThat(demo.tick(now + 1000)).isEmpty();
  }

  /** Runs {@code seconds} one-second ticks of the demo; returns the last event, or null. */
  private DemoEvent lastEventOver(DemoRegistry demo, int seconds) {
    DemoEvent last = null;
    for (int t = 0; t < seconds; t++) {
      now += 1000;
      for (DemoEvent e : demo.tick(now)) {
        last = e;
      }
    }
    return last;
  }
}
