package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleTest {

  private static SandboxSnapshot sandbox(int id, String name, boolean optionals) {
    SandboxSnapshot.Builder b =
        SandboxSnapshot.builder().sandboxId(id).name(name).sampledAtMs(1000 + id);
    if (optionals) {
      for (SampleField f : SampleField.values()) {
        b.value(f, 1);
      }
    }
    return b.build();
  }

  @Test
  void pointsFollowTheOptionalFields() {
    ExportBatch batch =
        new ExportBatch(
            List.of(
                SnapshotCollection.of(1, List.of(sandbox(1, "a", true), sandbox(2, "b", false)))),
            0,
            CollectorTelemetry.EMPTY);
    List<Sample> samples = Sample.of(batch, 1);
    assertThat(samples).extracting(Sample::points).containsExactly(14, 9);
  }

  @Test
  void labelsAndNonAsciiNamesCountInTheEstimate() {
    SandboxSnapshot ascii = sandbox(1, "abcd", false);
    SandboxSnapshot wide = sandbox(1, "ääää", false); // 8 UTF-8 bytes
    ExportBatch batch =
        new ExportBatch(
            List.of(
                new SnapshotCollection(1, List.of(ascii), Map.of()),
                new SnapshotCollection(2, List.of(wide), Map.of()),
                new SnapshotCollection(3, List.of(ascii), Map.of(1, Map.of("team", "infra")))),
            0,
            CollectorTelemetry.EMPTY);
    List<Sample> s = Sample.of(batch, 1);
    assertThat(s.get(1).bytes() - s.get(0).bytes()).isEqualTo(9L * 4);
    assertThat(s.get(2).bytes() - s.get(0).bytes()).isEqualTo(9L * (8 + 4 + 5));
  }

  @Test
  void splitKeepsOrderAndStaysUnderTheLimit() {
    List<SnapshotCollection> cs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cs.add(SnapshotCollection.of(i, List.of(sandbox(1, "a", true), sandbox(2, "b", false))));
    }
    List<Sample> samples = Sample.of(new ExportBatch(cs, 0, CollectorTelemetry.EMPTY), 1);
    long limit = samples.get(0).bytes() * 7;
    List<List<Sample>> chunks = Sample.split(samples, limit);
    List<Sample> rejoined = new ArrayList<>();
    for (List<Sample> chunk : chunks) {
      assertThat(chunk.stream().mapToLong(Sample::bytes).sum()).isLessThanOrEqualTo(limit);
      rejoined.addAll(chunk);
    }
    assertThat(rejoined).containsExactlyElementsOf(samples);
    assertThat(chunks).hasSizeGreaterThan(5);
    // below the limit: exactly one request
    assertThat(Sample.split(samples, Long.MAX_VALUE)).hasSize(1);
    // a single sample above the limit still goes out, alone
    assertThat(Sample.split(samples.subList(0, 2), 1)).hasSize(2);
  }
}
