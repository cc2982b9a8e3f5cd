package io.microsandbox.metrics.cli.top;

import static io.microsandbox.metrics.cli.top.Samples.T0;
import static io.microsandbox.metrics.cli.top.Samples.alloc;
import static io.microsandbox.metrics.cli.top.Samples.counters;
import static io.microsandbox.metrics.cli.top.Samples.meta;
import static io.microsandbox.metrics.cli.top.Samples.sample;
import static io.microsandbox.metrics.cli.top.Samples.scan;
import static io.microsandbox.metrics.cli.top.Samples.stale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The model behind {@code top}, with injected samples and a fake clock. */
class TopModelTest {
  private static final String REG = "/msb-met-0123456789abcdef-v3";

  private final FakeClock clock = new FakeClock(T0);

  private TopModel model(SortKey sort, String filter) {
    return new TopModel(clock, sort, filter);
  }

  private static SandboxSnapshot web(int run, long at, long diskRead, long netTx) {
    return counters(sample(1, run, "web", at), diskRead, 0, 0, netTx).build();
  }

  private static TopRow only(TopFrame frame) {
    assertThat(frame.rows()).hasSize(1);
    return frame.rows().get(0);
  }

  @Test
  void ratesComeFromTwoSamplesOfTheSameRun() {
    TopModel m = model(SortKey.NAME, null);
    assertThat(only(m.update(REG, scan(web(7, T0, 1000, 0)), Map.of())).rates())
        .as("one sample: no rate yet")
        .isNull();
    clock.advance(1000);
    TopRow row = only(m.update(REG, scan(web(7, T0 + 500, 5096, 300)), Map.of()));
    // 4096 bytes read and 300 sent over 500 ms of sample time (not of the view's clock)
    assertThat(row.rates()).isEqualTo(new Rates(8192.0, 0.0, 0.0, 600.0));
  }

  @Test
  void theLastRateIsKeptWhenNoNewSampleArrived() {
    TopModel m = model(SortKey.NAME, null);
    m.update(REG, scan(web(7, T0, 0, 0)), Map.of());
    clock.advance(1000);
    m.update(REG, scan(web(7, T0 + 1000, 2048, 0)), Map.of());
    clock.advance(300);
    TopRow again = only(m.update(REG, scan(web(7, T0 + 1000, 2048, 0)), Map.of()));
    assertThat(again.rates()).isEqualTo(new Rates(2048.0, 0, 0, 0));
  }

  @Test
  void aRestartShowsNoRateUntilTheSecondSampleOfTheNewRunAndNeverANegativeOne() {
    TopModel m = model(SortKey.NAME, null);
    m.update(REG, scan(web(7, T0, 1L << 40, 1L << 30)), Map.of());
    clock.advance(1000);
    m.update(REG, scan(web(7, T0 + 1000, (1L << 40) + 1000, 1L << 30)), Map.of());
    clock.advance(1000);
    // run 8: counters start again from zero
    TopRow first = only(m.update(REG, scan(web(8, T0 + 2000, 10, 5)), Map.of()));
    assertThat(first.rates()).isNull();
    clock.advance(1000);
    TopRow second = only(m.update(REG, scan(web(8, T0 + 3000, 1034, 5)), Map.of()));
    assertThat(second.rates()).isEqualTo(new Rates(1024.0, 0, 0, 0));
  }

  @Test
  void aCounterGoingBackwardsWithinARunGivesNoRateRatherThanAHugeOne() {
    TopModel m = model(SortKey.NAME, null);
    m.update(REG, scan(web(7, T0, 5000, 0)), Map.of());
    clock.advance(1000);
    TopRow row = only(m.update(REG, scan(web(7, T0 + 1000, 4000, 0)), Map.of()));
    assertThat(row.rates()).isNull();
    clock.advance(1000);
    TopRow next = only(m.update(REG, scan(web(7, T0 + 2000, 4500, 0)), Map.of()));
    assertThat(next.rates().diskRead()).isEqualTo(500.0);
  }

  @Test
  void unsignedCountersAboveTwoToThe63rdGiveTheirTrueRate() {
    TopModel m = model(SortKey.NAME, null);
    long big = Long.MIN_VALUE; // 2^63 unsigned
    m.update(REG, scan(web(7, T0, big, 0)), Map.of());
    clock.advance(1000);
    TopRow row = only(m.update(REG, scan(web(7, T0 + 1000, big + 4096, 0)), Map.of()));
    assertThat(row.rates().diskRead()).isEqualTo(4096.0);
  }

  @Test
  void anActiveSlotIsStalledOnceItsSampleIsOlderThanThreeSecondsByDefault() {
    TopModel m = model(SortKey.NAME, null);
    SandboxSnapshot s = web(7, T0, 0, 0);
    clock.advance(3000);
    assertThat(only(m.update(REG, scan(s), Map.of())).state()).isEqualTo(SandboxState.RUNNING);
    clock.advance(1);
    TopRow row = only(m.update(REG, scan(s), Map.of()));
    assertThat(row.state()).isEqualTo(SandboxState.STALLED);
    assertThat(row.sampleAgeMs()).isEqualTo(3001);
    assertThat(row.rates()).as("a stalled sandbox's last rate is as old as its sample").isNull();
  }

  @Test
  void theStallThresholdIsThreeOfTheSandboxsOwnSampleIntervalsWhenLongerThanThreeSeconds() {
    TopModel m = model(SortKey.NAME, null);
    Map<Integer, SandboxMetadata> slowSampler = Map.of(1, alloc(2, 0, 5000));
    SandboxSnapshot s = web(7, T0, 0, 0);
    clock.advance(15_000);
    assertThat(only(m.update(REG, scan(s), slowSampler)).state()).isEqualTo(SandboxState.RUNNING);
    clock.advance(1);
    assertThat(only(m.update(REG, scan(s), slowSampler)).state()).isEqualTo(SandboxState.STALLED);
    // a fast sampler still gets the 3 s floor
    Map<Integer, SandboxMetadata> fast = Map.of(1, alloc(0, 0, 100));
    FakeClock at2999 = new FakeClock(T0 + 2_999);
    assertThat(only(new TopModel(at2999, SortKey.NAME, null).update(REG, scan(s), fast)).state())
        .isEqualTo(SandboxState.RUNNING);
  }

  @Test
  void aSandboxWhoseConfigTurnsSamplingOffIsNeverStalled() {
    TopModel m = model(SortKey.NAME, null);
    Map<Integer, SandboxMetadata> off =
        Map.of(
            1,
            new SandboxMetadata(
                Map.of(), new io.microsandbox.metrics.collector.Allocation(2, 0, 0, 0, 0, true)));
    clock.advance(600_000);
    TopFrame f = m.update(REG, scan(web(7, T0, 0, 0)), off);
    assertThat(only(f).state()).isEqualTo(SandboxState.RUNNING);
    String line = new TopRenderer(false, java.time.ZoneOffset.UTC).render(f, 200, null).get(3);
    assertThat(line).startsWith("web   running  0.00 / 2c").endsWith("sampling off");
  }

  @Test
  void staleSlotsAreExitedListedAfterLiveOnesAndLeftOutOfTheLiveTotals() {
    TopModel m = model(SortKey.CPU, null);
    SandboxSnapshot db =
        sample(2, 20, "db", T0).cpuPercent(150f).value(SampleField.MEMORY_BYTES, 100).build();
    SandboxSnapshot gone =
        stale(
            sample(3, 30, "batch", T0 - 600_000)
                .cpuPercent(400f)
                .value(SampleField.MEMORY_BYTES, 7)
                .build());
    TopFrame f = m.update(REG, scan(gone, db), Map.of());
    assertThat(f.rows()).extracting(TopRow::name).containsExactly("db", "batch");
    assertThat(f.rows().get(1).state()).isEqualTo(SandboxState.EXITED);
    assertThat(f.rows().get(1).rates()).isNull();
    assertThat(f.totals().sandboxes()).isEqualTo(1);
    assertThat(f.totals().exited()).isEqualTo(1);
    assertThat(f.totals().busyVcpus()).isEqualTo(1.5);
    assertThat(f.totals().memoryUsedBytes()).isEqualTo(100.0);
  }

  @Test
  void aRestartedSandboxOwningTwoSlotsIsOneRowTheActiveOne() {
    TopModel m = model(SortKey.NAME, null);
    SandboxSnapshot oldRun = stale(web(7, T0 + 100, 999, 0));
    SandboxSnapshot newRun = web(8, T0, 1, 0);
    SandboxSnapshot otherSandboxSameName = stale(sample(9, 90, "web", T0).build());
    TopFrame f = m.update(REG, scan(oldRun, newRun, otherSandboxSameName), Map.of());
    assertThat(f.rows())
        .extracting(r -> r.snapshot().sandboxId() + "/" + r.snapshot().runId())
        .containsExactly("1/8", "9/90");
    // two stale slots of one sandbox: the freshest
    TopFrame g =
        m.update(REG, scan(stale(web(7, T0 + 100, 0, 0)), stale(web(6, T0 + 50, 0, 0))), Map.of());
    assertThat(only(g).snapshot().runId()).isEqualTo(7);
  }

  private static TopFrame sorted(SortKey key) {
    TopModel m = new TopModel(new FakeClock(T0), key, null);
    // counters from the first tick, rates from the second
    SandboxSnapshot[] first = {
      counters(sample(1, 1, "a", T0 - 1000), 0, 0, 0, 0).build(),
      counters(sample(2, 2, "b", T0 - 1000), 0, 0, 0, 0).build(),
      counters(sample(3, 3, "c", T0 - 1000), 0, 0, 0, 0).build(),
      counters(sample(4, 4, "d", T0 - 1000), 0, 0, 0, 0).build(),
    };
    m.update(REG, scan(first), Map.of());
    return m.update(
        REG,
        scan(
            counters(sample(1, 1, "a", T0), 100, 100, 9000, 0)
                .cpuPercent(10f)
                .value(SampleField.MEMORY_BYTES, 3)
                .startedAtMs(T0 - 10_000)
                .build(),
            counters(sample(2, 2, "b", T0), 5000, 0, 0, 0)
                .cpuPercent(250f)
                .value(SampleField.MEMORY_BYTES, 1)
                .startedAtMs(T0 - 90_000)
                .build(),
            counters(sample(3, 3, "c", T0), 0, 0, 100, 100)
                .cpuPercent(10f)
                .value(SampleField.MEMORY_BYTES, -1L) // 2^64-1 unsigned: the largest
                .startedAtMs(T0 - 5_000)
                .build(),
            // no second sample: no rate, sorts after every measured one
            counters(sample(4, 4, "d", T0 - 1000), 0, 0, 0, 0)
                .cpuPercent(50f)
                .value(SampleField.MEMORY_BYTES, 2)
                .startedAtMs(T0 - 1_000_000)
                .build()),
        Map.of());
  }

  @Test
  void sortsByEveryKeyLargestFirstWithNameAsTieBreak() {
    assertThat(names(sorted(SortKey.CPU))).containsExactly("b", "d", "a", "c");
    assertThat(names(sorted(SortKey.MEM))).containsExactly("c", "a", "d", "b");
    assertThat(names(sorted(SortKey.NAME))).containsExactly("a", "b", "c", "d");
    assertThat(names(sorted(SortKey.DISK))).containsExactly("b", "a", "c", "d");
    assertThat(names(sorted(SortKey.NET))).containsExactly("a", "c", "b", "d");
    assertThat(names(sorted(SortKey.UPTIME))).containsExactly("d", "b", "a", "c");
  }

  @Test
  void theSortKeyCanChangeBetweenFramesAndCyclesThroughEveryKey() {
    TopModel m = model(SortKey.NAME, null);
    RegistryScan s =
        scan(
            sample(1, 1, "a", T0).cpuPercent(10f).build(),
            sample(2, 2, "b", T0).cpuPercent(90f).build());
    assertThat(names(m.update(REG, s, Map.of()))).containsExactly("a", "b");
    m.sort(SortKey.CPU);
    assertThat(m.sort()).isEqualTo(SortKey.CPU);
    assertThat(names(m.update(REG, s, Map.of()))).containsExactly("b", "a");
    SortKey k = SortKey.CPU;
    java.util.Set<SortKey> seen = java.util.EnumSet.noneOf(SortKey.class);
    for (int i = 0; i < SortKey.values().length; i++) {
      seen.add(k);
      k = k.next();
    }
    assertThat(seen).containsExactlyInAnyOrder(SortKey.values());
    assertThat(k).isEqualTo(SortKey.CPU);
  }

  private static List<String> names(TopFrame f) {
    return f.rows().stream().map(TopRow::name).collect(Collectors.toList());
  }

  @Test
  void theFilterMatchesNamesAndLabelValuesIgnoringCaseAndTotalsStayHostWide() {
    Map<Integer, SandboxMetadata> details =
        Map.of(
            1, alloc(2, 1024, 0),
            2, meta(Map.of("team", "Payments"), 4, 2048, 0),
            3, meta(Map.of("payments", "no: keys do not count"), 0, 0, 0));
    RegistryScan s =
        scan(
            sample(1, 1, "web-PAY", T0).cpuPercent(50f).value(SampleField.MEMORY_BYTES, 10).build(),
            sample(2, 2, "ledger", T0).cpuPercent(100f).value(SampleField.MEMORY_BYTES, 20).build(),
            sample(3, 3, "db", T0).cpuPercent(25f).value(SampleField.MEMORY_BYTES, 30).build());
    TopFrame f = model(SortKey.NAME, "pay").update(REG, s, details);
    assertThat(names(f)).containsExactly("ledger", "web-PAY");
    assertThat(f.hiddenByFilter()).isEqualTo(1);
    HostTotals t = f.totals();
    assertThat(t.sandboxes()).isEqualTo(3);
    assertThat(t.busyVcpus()).isCloseTo(1.75, within(1e-9));
    assertThat(t.allocatedVcpus()).isEqualTo(6);
    assertThat(t.vcpusKnown()).isTrue();
    assertThat(t.memoryUsedBytes()).isEqualTo(60.0);
    // the catalog's limits where known (1 GiB, 2 GiB), the registry's (512 MiB) for db
    assertThat(t.memoryAllocatedBytes()).isEqualTo((double) ((3L << 30) + (512L << 20)));
    assertThat(model(SortKey.NAME, "").update(REG, s, details).rows()).hasSize(3);
  }

  @Test
  void stalledSandboxesCountAsLiveButNotAsBusy() {
    TopModel m = model(SortKey.NAME, null);
    clock.advance(10_000);
    TopFrame f =
        m.update(
            REG,
            scan(
                sample(1, 1, "stuck", T0).cpuPercent(300f).build(),
                sample(2, 2, "fine", T0 + 10_000).cpuPercent(50f).build()),
            Map.of());
    assertThat(f.totals().sandboxes()).isEqualTo(2);
    assertThat(f.totals().stalled()).isEqualTo(1);
    assertThat(f.totals().busyVcpus()).isEqualTo(0.5);
    assertThat(f.totals().vcpusKnown()).isFalse();
  }

  @Test
  void aMissingRegistryIsExplainedAndAFailedReadCarriesTheReadersLine() {
    TopModel m = model(SortKey.NAME, null);
    TopFrame missing = m.update(REG, RegistryScan.missing(), Map.of());
    assertThat(missing.rows()).isEmpty();
    assertThat(missing.problem()).contains(REG).contains("does not exist yet").contains("waiting");
    assertThat(missing.readFailed()).isFalse();
    TopFrame failed = m.failed(REG, "metrics registry " + REG + ": bad magic");
    assertThat(failed.problem()).isEqualTo("metrics registry " + REG + ": bad magic");
    assertThat(failed.readFailed()).isTrue();
    assertThat(failed.atMs()).isEqualTo(T0);
  }

  @Test
  void theCatalogsMemoryLimitWinsOverTheRegistrysStampedOne() {
    SandboxSnapshot s = sample(1, 1, "web", T0).build();
    TopModel m = model(SortKey.NAME, null);
    assertThat(only(m.update(REG, scan(s), Map.of())).memoryLimitBytes()).isEqualTo(512L << 20);
    Map<Integer, SandboxMetadata> resized = Map.of(1, alloc(0, 2048, 0));
    assertThat(only(m.update(REG, scan(s), resized)).memoryLimitBytes()).isEqualTo(2L << 30);
  }
}
