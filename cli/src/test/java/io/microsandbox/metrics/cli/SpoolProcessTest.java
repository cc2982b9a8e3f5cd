package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import io.microsandbox.metrics.spool.internal.DiskSpool;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msb-metrics otel --spool-dir} as real processes on real files: a backend outage survives
 * SIGKILL and SIGTERM with the whole outage delivered after the restart, each point at its own
 * sample time, nothing duplicated; a healthy restart re-sends nothing; a second process on the same
 * directory is refused.
 *
 * <p>A writer thread in the test samples three sandboxes every 600 ms while the collector reads
 * every 100 ms, so every sample is collected (about six times: a collection is the unit that must
 * arrive exactly once, a sample time shows which collection a point came from). The margin is wide
 * on purpose: the registry holds only a sandbox's latest sample, so a collector stalled for a whole
 * writer period (a loaded CI machine) would miss one without anything being lost downstream.
 */
@Timeout(120)
class SpoolProcessTest {
  private static final String GAUGE = "microsandbox.memory.usage";
  private static final String[] NAMES = {"alpha", "beta", "gamma"};

  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tmp;

  private RegistryWriter writer;
  private final List<SlotHandle> slots = new ArrayList<>();
  private final List<Long> written = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private GrpcOtlpReceiver receiver;

  @BeforeEach
  void registryAndReceiver() {
    Path home = tmp.resolve("home");
    writer = RegistryWriter.create(shm.track(RegistryName.forHome(home.toString())), 4);
    int pid = (int) ProcessHandle.current().pid();
    long now = System.currentTimeMillis();
    for (int i = 0; i < NAMES.length; i++) {
      SlotHandle slot = writer.reserve(70 + i, NAMES[i], 512L << 20);
      slot.activate(1, pid, now - 60_000);
      slots.add(slot);
    }
    sample();
    ticker.scheduleAtFixedRate(this::sample, 600, 600, TimeUnit.MILLISECONDS);
    receiver = GrpcOtlpReceiver.start(null, false);
  }

  @AfterEach
  void stop() {
    ticker.shutdownNow();
    receiver.close();
    writer.close();
  }

  private synchronized void sample() {
    long now = System.currentTimeMillis();
    for (SlotHandle s : slots) {
      s.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(now)
              .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
              .raw(io.microsandbox.metrics.registry.SampleField.MEMORY_BYTES, now)
              .build());
    }
    written.add(now);
  }

  private CliProcess collector() throws Exception {
    return CliProcess.start(
        Map.of(),
        ProcessBuilder.Redirect.DISCARD,
        List.of(
            "otel",
            "--endpoint",
            receiver.endpoint(),
            "--msb-home",
            tmp.resolve("home").toString(),
            "--no-labels",
            "--collect-interval",
            "100ms",
            "--flush-interval",
            "200ms",
            "--max-sample-age",
            "0",
            "--export-timeout",
            "3s",
            "--spool-dir",
            tmp.resolve("spool").toString()));
  }

  /** What the spool directory holds, read as the next start would (the process is gone). */
  private List<SnapshotCollection> spooled() throws Exception {
    DiskSpool s =
        DiskSpool.open(
            "otlp",
            new SpoolSettings(
                tmp.resolve("spool").resolve("otlp"),
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofDays(1),
                SpoolSettings.DEFAULT_SYNC_INTERVAL),
            System::currentTimeMillis);
    try {
      return s.readAfter(-1, Integer.MAX_VALUE).stream()
          .map(SpooledCollection::collection)
          .toList();
    } finally {
      s.close();
    }
  }

  /** (sandbox, sample time) -> how many collections carry it. */
  private static Map<String, Integer> counts(List<SnapshotCollection> collections) {
    Map<String, Integer> out = new TreeMap<>();
    for (SnapshotCollection c : collections) {
      for (SandboxSnapshot s : c.snapshots()) {
        out.merge(s.name() + "@" + s.sampledAtMs(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** (sandbox, point time) -> how many accepted points, for points up to {@code maxMs}. */
  private Map<String, Integer> received(long maxMs) {
    Map<String, Integer> out = new TreeMap<>();
    for (ReceivedRequest r : receiver.accepted()) {
      for (NumberDataPoint p : r.points(GAUGE)) {
        long ms = p.getTimeUnixNano() / 1_000_000;
        if (ms <= maxMs) {
          out.merge(name(p) + "@" + ms, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  private static String name(NumberDataPoint p) {
    for (KeyValue kv : p.getAttributesList()) {
      if (kv.getKey().equals("sandbox.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "?";
  }

  private static long maxTime(List<SnapshotCollection> collections) {
    return collections.stream()
        .flatMap(c -> c.snapshots().stream())
        .mapToLong(SandboxSnapshot::sampledAtMs)
        .max()
        .orElseThrow();
  }

  private static long minTime(List<SnapshotCollection> collections) {
    return collections.stream()
        .flatMap(c -> c.snapshots().stream())
        .mapToLong(SandboxSnapshot::sampledAtMs)
        .min()
        .orElseThrow();
  }

  private static void await(BooleanSupplier condition, CliProcess p, String what) throws Exception {
    while (!condition.getAsBoolean()) {
      assertThat(p.process.isAlive()).as(what + "; stderr:\n" + p.stderr()).isTrue();
      Thread.sleep(20);
    }
  }

  /** Runs the collector against a refusing backend until it has tried a few times. */
  private CliProcess outage() throws Exception {
    receiver.goDown();
    CliProcess p = collector();
    await(() -> receiver.received().size() >= 4, p, "refused attempts");
    return p;
  }

  /**
   * After a restart with the backend back: the backlog arrives exactly once, oldest first, at its
   * own sample times, and no sample written while the collector ran is missing from it.
   */
  private void assertBacklogDeliveredOnce(List<SnapshotCollection> backlog) throws Exception {
    long max = maxTime(backlog);
    long min = minTime(backlog);
    CliProcess p = collector();
    try (p) {
      await(() -> received(max).equals(counts(backlog)), p, "the backlog delivered");
      p.signal("TERM");
      assertThat(p.waitFor(30)).as(p.stderr()).isZero();
      assertThat(p.stderr()).contains("from an earlier run are delivered first");
    }
    assertThat(received(max)).isEqualTo(counts(backlog));
    // every sample written during the outage run is in the backlog (collected, spooled, sent)
    for (long w : written) {
      if (w >= min && w <= max) {
        for (String n : NAMES) {
          assertThat(received(max)).containsKey(n + "@" + w);
        }
      }
    }
    // oldest first: each request's newest point is not older than the previous request's
    long previous = Long.MIN_VALUE;
    for (ReceivedRequest r : receiver.accepted()) {
      long newest =
          r.points(GAUGE).stream().mapToLong(NumberDataPoint::getTimeUnixNano).max().orElse(0);
      if (newest > 0) {
        assertThat(newest).isGreaterThanOrEqualTo(previous);
        previous = newest;
      }
    }
    assertThat(spooled()).as("the spool is empty after delivery").isEmpty();
  }

  @Test
  void sigkillDuringAnOutageLosesNothingAndTheRestartDeliversTheOutage() throws Exception {
    try (CliProcess p = outage()) {
      p.process.destroyForcibly(); // SIGKILL
      p.waitFor(30);
    }
    assertThat(receiver.accepted()).isEmpty();
    List<SnapshotCollection> backlog = spooled();
    assertThat(backlog).hasSizeGreaterThan(5);
    receiver.recover();
    receiver.clear();
    assertBacklogDeliveredOnce(backlog);
  }

  @Test
  void sigtermDuringAnOutageKeepsTheSpoolAndAHealthyRestartResendsNothing() throws Exception {
    try (CliProcess p = outage()) {
      p.signal("TERM");
      // everything is safe in the spool: a clean stop (exit 0), one INFO line saying how much
      assertThat(p.waitFor(30)).as(p.stderr()).isZero();
      List<String> kept =
          p.stderr()
              .lines()
              .filter(l -> l.contains("stay in the spool for the next start"))
              .toList();
      assertThat(kept).as(p.stderr()).singleElement().asString().contains("INFO");
      assertThat(p.stderr().lines().filter(l -> l.contains("ERROR")).toList())
          .as(p.stderr())
          .isEmpty();
      assertThat(p.stderr()).contains("left in the spool");
      // the retry waits as the flags take them (200ms, 1s600ms), not ISO-8601 (PT1.6S)
      assertThat(p.stderr().lines().filter(l -> l.contains("will retry in")).toList())
          .isNotEmpty()
          .noneMatch(l -> l.matches(".*will retry in PT.*"));
    }
    List<SnapshotCollection> backlog = spooled();
    assertThat(backlog).hasSizeGreaterThan(5);
    receiver.recover();
    receiver.clear();
    assertBacklogDeliveredOnce(backlog);

    // a restart after a clean stop with everything delivered sends only new collections
    long before = maxTime(backlog);
    int requestsBefore = receiver.accepted().size();
    long lastDelivered =
        receiver.accepted().stream()
            .flatMap(r -> r.points(GAUGE).stream())
            .mapToLong(p -> p.getTimeUnixNano() / 1_000_000)
            .max()
            .orElseThrow();
    try (CliProcess p = collector()) {
      await(() -> receiver.accepted().size() >= requestsBefore + 3, p, "new exports");
      p.signal("TERM");
      assertThat(p.waitFor(30)).as(p.stderr()).isZero();
      assertThat(p.stderr()).doesNotContain("from an earlier run");
    }
    for (ReceivedRequest r :
        receiver.accepted().subList(requestsBefore, receiver.accepted().size())) {
      for (NumberDataPoint pt : r.points(GAUGE)) {
        assertThat(pt.getTimeUnixNano() / 1_000_000).isGreaterThanOrEqualTo(lastDelivered);
      }
    }
    assertThat(lastDelivered).isGreaterThanOrEqualTo(before);
    assertThat(spooled()).isEmpty();
  }

  @Test
  void aSecondProcessOnTheSameSpoolDirectoryIsRefusedWithExitTwo() throws Exception {
    try (CliProcess first = collector()) {
      await(() -> !receiver.accepted().isEmpty(), first, "the first collector exporting");
      try (CliProcess second = collector()) {
        assertThat(second.waitFor(60)).isEqualTo(2);
        String err = second.stderr().strip();
        assertThat(err).contains("in use by another msb-metrics process");
        assertThat(err.lines().filter(l -> l.contains("in use"))).hasSize(1);
      }
      assertThat(first.process.isAlive()).isTrue();
      first.signal("TERM");
      assertThat(first.waitFor(30)).as(first.stderr()).isZero();
    }
  }
}
