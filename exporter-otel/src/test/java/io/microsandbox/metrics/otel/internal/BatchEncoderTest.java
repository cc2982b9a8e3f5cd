package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes kept across flushes are always those of the sample's identity and labels. */
class BatchEncoderTest {
  private final BatchEncoder encoder =
      new BatchEncoder(Resource.empty(), InstrumentationScopeInfo.create("test"), true, false);

  private static SandboxSnapshot sandbox(int id, String name, int runId) {
    return SandboxSnapshot.builder().sandboxId(id).name(name).runId(runId).sampledAtMs(1).build();
  }

  private Attributes attributesOf(SandboxSnapshot s, Map<String, String> labels) {
    ExportBatch batch =
        new ExportBatch(
            List.of(new SnapshotCollection(1, List.of(s), Map.of(s.sandboxId(), labels))),
            0,
            CollectorTelemetry.EMPTY);
    List<MetricData> metrics = encoder.encode(Sample.of(batch, 2));
    return metrics.get(0).getData().getPoints().iterator().next().getAttributes();
  }

  @Test
  void attributesAreReusedAcrossFlushesWhileIdentityAndLabelsAreUnchanged() {
    Map<String, String> labels = Map.of("team", "infra");
    Attributes first = attributesOf(sandbox(1, "a", 7), labels);
    encoder.endFlush();
    Attributes second = attributesOf(sandbox(1, "a", 7), labels);

    assertThat(second).isSameAs(first);
    assertThat(second.asMap())
        .containsEntry(BatchEncoder.SANDBOX_NAME, "a")
        .containsEntry(BatchEncoder.SANDBOX_ID, 1L)
        .containsEntry(BatchEncoder.SANDBOX_RUN_ID, 7L)
        .hasSize(4);
  }

  @Test
  void aChangedIdentityOrLabelSetGetsItsOwnAttributes() {
    Map<String, String> labels = new HashMap<>(Map.of("team", "infra"));
    Attributes base = attributesOf(sandbox(1, "a", 7), labels);

    Attributes restarted = attributesOf(sandbox(1, "a", 8), labels);
    Attributes renamed = attributesOf(sandbox(1, "b", 7), labels);
    Attributes relabelled = attributesOf(sandbox(1, "a", 7), Map.of("team", "web"));
    // an equal label map that is another instance gives equal attributes
    Attributes equalLabels = attributesOf(sandbox(1, "a", 7), new HashMap<>(labels));

    assertThat(restarted.get(BatchEncoder.SANDBOX_RUN_ID)).isEqualTo(8L);
    assertThat(renamed.get(BatchEncoder.SANDBOX_NAME)).isEqualTo("b");
    assertThat(relabelled.asMap().values()).contains("web").doesNotContain("infra");
    assertThat(equalLabels).isEqualTo(base);
  }

  @Test
  void attributesUnusedForAWholeFlushAreForgottenAndBuiltAgain() {
    Map<String, String> labels = Map.of("team", "infra");
    Attributes first = attributesOf(sandbox(1, "a", 7), labels);
    encoder.endFlush();
    encoder.endFlush(); // a flush without this sandbox

    Attributes again = attributesOf(sandbox(1, "a", 7), labels);

    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }
}
