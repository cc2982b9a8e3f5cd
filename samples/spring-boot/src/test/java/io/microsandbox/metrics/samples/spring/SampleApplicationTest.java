package io.microsandbox.metrics.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on a random port against a real shared-memory registry with one running sandbox:
 * {@code /actuator/prometheus} holds its series and {@code /actuator/health} the {@code
 * microsandbox} component.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "microsandbox.metrics.collect-interval=200ms")
@Timeout(60)
class SampleApplicationTest {
  private static final Path HOME = home();
  private static final RegistryWriter REGISTRY =
      RegistryWriter.create(RegistryName.forHome(HOME.toString()), 8);
  private static final Thread WRITER = startSandbox();

  @LocalServerPort int port;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DynamicPropertySource
  static void microsandboxHome(DynamicPropertyRegistry registry) {
    registry.add("microsandbox.metrics.home", HOME::toString);
  }

  @AfterAll
  static void removeRegistry() throws Exception {
    WRITER.interrupt();
    WRITER.join(5_000);
    REGISTRY.close();
    REGISTRY.unlink();
  }

  @Test
  void prometheusHoldsTheSandboxSeriesAndHealthTheMicrosandboxComponent() throws Exception {
    String scrape = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!scrape.contains("microsandbox_memory_usage_bytes{") && System.nanoTime() < deadline) {
      scrape = get("/actuator/prometheus").body();
      if (!scrape.contains("microsandbox_memory_usage_bytes{")) {
        Thread.sleep(100); // the collector's first collection, then the binder's refresh
      }
    }
    assertThat(scrape)
        .contains("microsandbox_memory_usage_bytes{")
        .contains("sandbox_name=\"devbox\"")
        .contains("sandbox_id=\"33\"")
        .contains("microsandbox_cpu_time_seconds_total{")
        .contains("microsandbox_uptime_seconds{");

    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"microsandbox\":{\"status\":\"UP\"")
        .contains("\"sandboxes\":1");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Path home() {
    try {
      return Files.createTempDirectory("msb-home-" + UUID.randomUUID());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A sandbox whose runtime writes a sample every 100 ms until interrupted. */
  private static Thread startSandbox() {
    SlotHandle slot = REGISTRY.reserve(33, "devbox", 512L << 20);
    slot.activate(7, (int) ProcessHandle.current().pid(), System.currentTimeMillis() - 60_000);
    Thread t =
        new Thread(
            () -> {
              long memory = 100L << 20;
              while (!Thread.currentThread().isInterrupted()) {
                slot.writeSample(
                    SandboxSnapshot.builder()
                        .sampledAtMs(System.currentTimeMillis())
                        .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
                        .cpuPercent(12.5f)
                        .raw(SampleField.VCPU_TIME_NS, 5_000_000_000L)
                        .raw(SampleField.MEMORY_BYTES, memory++)
                        .build());
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "sample-writer");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
