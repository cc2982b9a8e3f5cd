package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactCollectionTest {
  private static final long T = 1_780_109_071_000L;

  @Test
  void roundTripsEveryFieldExactlyIncludingUnsignedExtremesLabelsAndAllocations() {
    SandboxSnapshot a = Samples.sample(1, T - 400);
    SandboxSnapshot b =
        Samples.sample(2, T + 5).toBuilder()
            .state(SlotState.STALE)
            .cpuPercentBits(0xFFC0_0001) // a NaN payload must survive bit for bit
            .raw(SampleField.UPPER_HOST_ALLOCATED_BYTES, -2L) // absent but stored
            .build();
    Allocation resized = new Allocation(2, 2048, 4, 4096, 0, true);
    Map<Integer, SandboxMetadata> metadata =
        Map.of(
            1, new SandboxMetadata(Map.of(), resized),
            2, new SandboxMetadata(Map.of("team", "infra"), Allocation.UNKNOWN));

    CompactCollection c =
        CompactCollection.encode(T, List.of(a, b), metadata, new IdentityInterner());
    SnapshotCollection back = c.decode();

    assertThat(c.size()).isEqualTo(2);
    assertThat(back.collectedAtMs()).isEqualTo(T);
    assertThat(back.snapshots()).containsExactly(a, b);
    assertThat(back.labels(b)).containsExactly(Map.entry("team", "infra"));
    assertThat(back.labels(a)).isEmpty();
    assertThat(back.allocation(a)).isEqualTo(resized);
    assertThat(back.allocation(b)).isEqualTo(Allocation.UNKNOWN);
  }

  @Test
  void aChangedAllocationIsANewIdentity() {
    IdentityInterner interner = new IdentityInterner();
    SandboxSnapshot s = Samples.sample(1, T);
    SandboxMetadata before =
        new SandboxMetadata(Map.of(), new Allocation(1, 512, 1, 512, 0, false));
    SandboxMetadata after =
        new SandboxMetadata(Map.of(), new Allocation(1, 1024, 1, 1024, 0, false));

    CompactCollection first = CompactCollection.encode(T, List.of(s), Map.of(1, before), interner);
    CompactCollection second =
        CompactCollection.encode(T + 1000, List.of(s), Map.of(1, after), interner);

    assertThat(second.identity(0)).isNotSameAs(first.identity(0));
    assertThat(second.decode().allocation(s).memoryMib()).isEqualTo(1024);
  }

  @Test
  void samplesFarFromTheTickUseTheWideLayoutAndStillRoundTrip() {
    SandboxSnapshot ancient = Samples.sample(3, 0);
    SandboxSnapshot extreme = Samples.sample(4, Long.MIN_VALUE + 5);
    SandboxSnapshot future = Samples.sample(5, Long.MAX_VALUE);

    SnapshotCollection back =
        CompactCollection.encode(
                T, List.of(ancient, extreme, future), Map.of(), new IdentityInterner())
            .decode();

    assertThat(back.snapshots()).containsExactly(ancient, extreme, future);
  }

  @Test
  void sharesOneIdentityPerSandboxAcrossTicksAndForgetsVanishedOnes() {
    IdentityInterner interner = new IdentityInterner();
    CompactCollection first =
        CompactCollection.encode(
            T, List.of(Samples.sample(1, T), Samples.sample(2, T)), Map.of(), interner);
    SandboxSnapshot sameSandboxLater =
        Samples.sample(1, T + 1000).toBuilder().startedAtMs(T - 61_000).build();
    CompactCollection second =
        CompactCollection.encode(T + 1000, List.of(sameSandboxLater), Map.of(), interner);

    assertThat(second.identity(0)).isSameAs(first.identity(0));
    assertThat(interner.size()).as("sandbox 2 vanished").isEqualTo(1);
  }

  @Test
  void keepsTheIdentityWhenTheMetadataIsAnEqualNewInstanceAndForSlotsOutsideTheIndex() {
    IdentityInterner interner = new IdentityInterner();
    SandboxSnapshot far = Samples.sample(2, T).toBuilder().slot(1 << 20).build();
    SandboxSnapshot negative = Samples.sample(3, T).toBuilder().slot(-1).build();
    List<SandboxSnapshot> tick = List.of(Samples.sample(1, T), far, negative);
    CompactCollection first =
        CompactCollection.encode(
            T,
            tick,
            Map.of(1, new SandboxMetadata(Map.of("team", "a"), Allocation.UNKNOWN)),
            interner);
    CompactCollection second =
        CompactCollection.encode(
            T + 1000,
            tick,
            Map.of(1, new SandboxMetadata(Map.of("team", "a"), Allocation.UNKNOWN)),
            interner);

    for (int i = 0; i < 3; i++) {
      assertThat(second.identity(i)).isSameAs(first.identity(i));
    }
    assertThat(interner.size()).isEqualTo(3);
    assertThat(second.decode().snapshots()).containsExactlyElementsOf(tick);

    CompactCollection third = CompactCollection.encode(T + 2000, List.of(far), Map.of(), interner);
    assertThat(third.identity(0)).isSameAs(first.identity(1));
    assertThat(interner.size()).as("slots 1 and -1 vanished").isEqualTo(1);
  }
}
