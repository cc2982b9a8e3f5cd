package io.microsandbox.metrics.micrometer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The example against a real registry; docs/integrations.md quotes it word for word. */
@Timeout(30)
class MicrometerExampleTest {
  @RegisterExtension final TempShm shm = new TempShm();

  @Test
  void aSandboxOfTheRegistryIsScrapedFromTheApplicationsRegistry(@TempDir Path home)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RegistryWriter writer =
        RegistryWriter.create(shm.track(RegistryName.forHome(home.toString())), 4)) {
      SlotHandle slot = writer.reserve(5, "devbox", 256L << 20);
      slot.activate(1, 4242, System.currentTimeMillis() - 1_000);
      slot.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(System.currentTimeMillis())
              .sampleFlags(SandboxSnapshot.FLAG_MEMORY)
              .raw(SampleField.MEMORY_BYTES, 64L << 20)
              .build());
      try (AutoCloseable published = MicrometerExample.publish(registry, home.toString())) {
        // a refresh registers a sandbox's meters one by one: wait for the line itself, not for
        // the first meter that names the sandbox
        String memory =
            "microsandbox_memory_usage_bytes{sandbox_id=\"5\",sandbox_name=\"devbox\"} 6.7108864E7";
        assertThat(OurThreads.await(() -> registry.scrape().contains(memory), 20_000))
            .as("the scrape holds %s", memory)
            .isTrue();
      }
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void theDocQuotesTheExample() throws Exception {
    String doc = Files.readString(Path.of("../docs/integrations.md"), StandardCharsets.UTF_8);
    assertThat(doc)
        .contains(
            quoted(
                Path.of(
                    "src/test/java/io/microsandbox/metrics/micrometer/examples/MicrometerExample.java"),
                "micrometer-example"));
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
