package io.microsandbox.metrics.registry.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.registry.RegistryLayout;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegistryWriterTest {
  private static final int LIVE_PID = 1; // always exists
  @RegisterExtension final TempShm shm = new TempShm();

  @Test
  void writesWhatTheReaderReadsBack() {
    RegistryWriter writer = shm.createRegistry(4);
    SlotHandle slot = writer.reserve(33, "devbox", 512L << 20);
    slot.activate(101, LIVE_PID, 1_700_000_000_000L);
    SandboxSnapshot sample =
        SandboxSnapshot.builder()
            .sampledAtMs(1_700_000_061_234L)
            .cpuPercent(137.5f)
            .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
            .raw(SampleField.VCPU_TIME_NS, 42)
            .raw(SampleField.MEMORY_BYTES, -1L) // u64::MAX
            .value(SampleField.UPPER_FREE_BYTES, 7)
            .raw(SampleField.NET_TX_BYTES, 99)
            .build();
    slot.writeSample(sample);

    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      assertThat(reader.snapshot(false))
          .containsExactly(
              sample.toBuilder()
                  .slot(0)
                  .sandboxId(33)
                  .runId(101)
                  .pid(LIVE_PID)
                  .name("devbox")
                  .startedAtMs(1_700_000_000_000L)
                  .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
                  .build());
    }
  }

  @Test
  void followsTheGenerationAndSeqProtocol() {
    RegistryWriter writer = shm.createRegistry(2);
    SlotHandle first = writer.reserve(1, "a", 0);
    first.activate(1, LIVE_PID, 0);
    first.writeSample(SandboxSnapshot.builder().sampledAtMs(5).build());
    ByteBuffer image = ByteBuffer.wrap(ShmFiles.read(writer.name())).order(ByteOrder.LITTLE_ENDIAN);
    int base = RegistryLayout.slotOffset(0);
    assertThat(image.getLong(base + RegistryLayout.S_GENERATION)).isEqualTo(1);
    assertThat(image.getLong(base + RegistryLayout.S_SEQ))
        .isEqualTo(6); // reserve, activate, sample
    assertThat(image.getInt(base + RegistryLayout.S_STATE)).isEqualTo(RegistryLayout.SLOT_ACTIVE);

    first.release(true);
    assertThatThrownBy(() -> first.writeSample(SandboxSnapshot.builder().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("generation mismatch: expected 1, observed 2");
    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      assertThat(reader.snapshot(true))
          .singleElement()
          .returns(SlotState.STALE, SandboxSnapshot::state);
      assertThat(reader.snapshot(false)).isEmpty();
    }

    SlotHandle reused = writer.reserve(2, "b", 0); // the stale slot is the lowest reusable one
    assertThat(reused.slot()).isZero();
    assertThat(reused.generation()).isEqualTo(3);
    SlotHandle second = writer.reserve(3, "c", 0);
    assertThat(second.slot()).isEqualTo(1);
    assertThatThrownBy(() -> writer.reserve(4, "d", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("full");
  }

  @Test
  void refusesNamesOver128BytesAndDuplicateObjects() {
    RegistryWriter writer = shm.createRegistry(1);
    assertThatThrownBy(() -> writer.reserve(1, "y".repeat(129), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sandbox name is too long for metrics slot: 129 bytes (max 128)");
    assertThat(writer.reserve(1, "y".repeat(128), 0).slot()).isZero();
    assertThatThrownBy(() -> RegistryWriter.create(writer.name(), 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentReservationsNeverShareASlot() throws Exception {
    RegistryWriter writer = shm.createRegistry(64);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<SlotHandle>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  List<SlotHandle> mine = new ArrayList<>();
                  for (int i = 0; i < 16; i++) {
                    mine.add(writer.reserve(thread * 100 + i, "t" + thread + "-" + i, 0));
                  }
                  return mine;
                }));
      }
      List<SlotHandle> all = new ArrayList<>();
      for (var f : futures) {
        all.addAll(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(all).extracting(SlotHandle::slot).doesNotHaveDuplicates().hasSize(64);
      assertThat(all).extracting(SlotHandle::generation).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void openAttachesToAnExistingRegistryAndUnlinkRemovesIt() {
    RegistryWriter creator = shm.createRegistry(3);
    try (RegistryWriter other = RegistryWriter.open(creator.name())) {
      assertThat(other.capacity()).isEqualTo(3);
      assertThat(other.reserve(1, "x", 0).slot()).isZero();
    }
    assertThat(creator.reserve(2, "y", 0).slot()).isEqualTo(1);
    assertThat(RegistryWriter.unlink(creator.name())).isTrue();
    assertThat(RegistryWriter.unlink(creator.name())).isFalse();
  }
}
