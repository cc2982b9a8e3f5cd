package io.microsandbox.metrics.opentelemetry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The example against a real registry; docs/integrations.md quotes it word for word. */
@Timeout(30)
class OpenTelemetryExampleTest {
  @RegisterExtension final TempShm shm = new TempShm();

  @Test
  void aSandboxOfTheRegistryIsObservedByTheApplicationsSdk(@TempDir Path home) throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider =
            SdkMeterProvider.builder().registerMetricReader(reader).build();
        RegistryWriter writer =
            RegistryWriter.create(shm.track(RegistryName.forHome(home.toString())), 4)) {
      SlotHandle slot = writer.reserve(5, "devbox", 256L << 20);
      slot.activate(1, 4242, System.currentTimeMillis() - 1_000);
      slot.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(System.currentTimeMillis())
              .sampleFlags(SandboxSnapshot.FLAG_MEMORY)
              .raw(SampleField.MEMORY_BYTES, 64L << 20)
              .build());
      try (AutoCloseable observed =
          OpenTelemetryExample.observe(
              OpenTelemetrySdk.builder().setMeterProvider(provider).build(), home.toString())) {
        assertThat(OurThreads.await(() -> !memoryUsage(reader).isEmpty(), 20_000)).isTrue();
        LongPointData p = memoryUsage(reader).get(0);
        assertThat(p.getValue()).isEqualTo(64L << 20);
        assertThat(p.getAttributes().get(AttributeKey.stringKey("sandbox.name")))
            .isEqualTo("devbox");
      }
    }
  }

  @Test
  void theDocQuotesTheExample() throws Exception {
    String doc = Files.readString(Path.of("../docs/integrations.md"), StandardCharsets.UTF_8);
    assertThat(doc)
        .contains(
            quoted(
                Path.of(
                    "src/test/java/io/microsandbox/metrics/opentelemetry/examples/OpenTelemetryExample.java"),
                "opentelemetry-example"));
  }

  private static List<LongPointData> memoryUsage(InMemoryMetricReader reader) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("microsandbox.memory.usage"))
        .map(MetricData::getLongGaugeData)
        .flatMap(d -> d.getPoints().stream())
        .toList();
  }

  /** The lines between {@code // [marker]} and {@code // [/marker]}, indentation cut by 4. */
  static String quoted(Path source, String marker) throws Exception {
    String src = Files.readString(source, StandardCharsets.UTF_8);
    int start = src.indexOf('\n', src.indexOf("// [" + marker + "]")) + 1;
    int end = src.lastIndexOf('\n', src.indexOf("// [/" + marker + "]"));
    StringBuilder out = new StringBuilder();
    for (String line : src.substring(start, end).split("\n")) {
      out.append(line.length() > 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return out.toString();
  }
}
