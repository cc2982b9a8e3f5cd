package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code msb-metrics stdout} end to end: the registry writer writes sandboxes, the real reader and
 * collector run, the printed JSON lines must be exactly what was written; stopping (what SIGTERM
 * does) prints what was still buffered and exits 0.
 */
@Timeout(60)
class StdoutCommandTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tempDir;

  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine cli() {
    return StoppableCli.create(stop, out, err);
  }

  private String output() {
    return out.toString(); // StringWriter is synchronized
  }

  /** Writes three active sandboxes into a fresh registry of {@code home}; returns them by id. */
  private Map<Integer, SandboxSnapshot> writeSandboxes(String home) {
    Map<Integer, SandboxSnapshot> written = new HashMap<>();
    try (RegistryWriter writer = RegistryWriter.create(shm.track(RegistryName.forHome(home)), 8)) {
      int pid = (int) ProcessHandle.current().pid(); // alive, so the reader reports them active
      long now = System.currentTimeMillis();
      String[] names = {"alpha", "βeta box", "gamma"};
      for (int i = 0; i < names.length; i++) {
        int id = 40 + i;
        long limit = (512L << 20) * (i + 1);
        SlotHandle slot = writer.reserve(id, names[i], limit);
        slot.activate(900 + i, pid, now - 3_600_000L * (i + 1));
        SandboxSnapshot sample =
            SandboxSnapshot.builder()
                .sampledAtMs(now - 200 * i)
                .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
                .cpuPercent(12.5f * (i + 1))
                .raw(SampleField.VCPU_TIME_NS, 123_456_789L * (i + 1))
                .raw(SampleField.MEMORY_BYTES, (100L << 20) * (i + 1))
                .raw(SampleField.DISK_READ_BYTES, -1L - i) // near 2^64
                .raw(SampleField.NET_TX_BYTES, 4096L * (i + 1))
                .value(SampleField.UPPER_USED_BYTES, 1L << 30)
                .build();
        slot.writeSample(sample);
        written.put(
            id,
            sample.toBuilder()
                .slot(slot.slot())
                .sandboxId(id)
                .runId(900 + i)
                .pid(pid)
                .name(names[i])
                .startedAtMs(now - 3_600_000L * (i + 1))
                .raw(SampleField.MEMORY_LIMIT_BYTES, limit)
                .build());
      }
    } // closing the writer unmaps it; the registry stays until the test unlinks it
    return written;
  }

  @Test
  void jsonPrintsExactlyWhatTheWriterWroteAndDrainsOnStop() throws Exception {
    String home = tempDir.resolve("home").toString();
    Map<Integer, SandboxSnapshot> written = writeSandboxes(home);
    CommandLine cli = cli();
    CompletableFuture<RunningCollector> started = new CompletableFuture<>();
    ((StdoutCommand) cli.getSubcommands().get("stdout").getCommand()).onStart = started::complete;
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                cli.execute(
                    "stdout",
                    "--format",
                    "json",
                    "--msb-home",
                    home,
                    "--collect-interval",
                    "50ms",
                    "--flush-interval",
                    "1h",
                    "--export-timeout",
                    "5s"));

    // let a few collections buffer (however slow a loaded machine starts the collector); nothing
    // is flushed before the stop (flush interval 1 h), so everything printed comes from the final
    // drain
    RunningCollector running = started.get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (running.status().exporters().get(0).bufferedCollections() < 3) {
      assertThat(System.nanoTime()).as("3 collections buffered").isLessThan(deadline);
      Thread.sleep(10);
    }
    assertThat(output()).isEmpty();
    stop.complete("SIGTERM");
    assertThat(exit.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output().split("\n")) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
    Set<Long> collections = new HashSet<>();
    for (JsonNode line : lines) {
      SandboxSnapshot w = written.get(line.get("sandbox_id").asInt());
      assertThat(w).as("unexpected line %s", line).isNotNull();
      collections.add(line.get("collected_at_ms").asLong());
      assertThat(line.get("name").asText()).isEqualTo(w.name());
      assertThat(line.get("slot").asInt()).isEqualTo(w.slot());
      assertThat(line.get("state").asText()).isEqualTo("active");
      assertThat(line.get("run_id").asInt()).isEqualTo(w.runId());
      assertThat(line.get("pid").asInt()).isEqualTo(w.pid());
      assertThat(line.get("started_at_ms").asLong()).isEqualTo(w.startedAtMs());
      assertThat(line.get("sampled_at_ms").asLong()).isEqualTo(w.sampledAtMs());
      assertThat(line.get("cpu_percent").floatValue()).isEqualTo(w.cpuPercent());
      for (SampleField f : SampleField.values()) {
        if (w.has(f)) {
          assertThat(line.get(f.jsonKey()).bigIntegerValue())
              .as(f.jsonKey())
              .isEqualTo(new BigInteger(Long.toUnsignedString(w.raw(f))));
        } else {
          assertThat(line.get(f.jsonKey()).isNull()).as(f.jsonKey()).isTrue();
        }
      }
      assertThat(line.get("labels").isEmpty()).isTrue();
    }
    assertThat(lines).as("every collection printed whole").hasSize(3 * collections.size());
  }

  @Test
  void textPrintsOneLinePerSandboxAndAnEmptyRegistryAsNoActiveSandboxes() throws Exception {
    String home = tempDir.resolve("empty-home").toString(); // no registry at all
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> cli().execute("stdout", "--msb-home", home, "--collect-interval", "50ms"));
    Thread.sleep(500);
    stop.complete("SIGINT");

    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(output().split("\n"))
        .isNotEmpty()
        .allMatch(
            l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(no active sandboxes\\)"));
  }

  @Test
  void aBadCollectorOptionIsAUsageErrorNamingTheFlag() {
    assertThat(cli().execute("stdout", "--collect-interval", "5x")).isEqualTo(2);
    assertThat(err.toString()).contains("--collect-interval").contains("5x");
    assertThat(cli().execute("stdout", "--max-buffered", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-buffered");
    assertThat(cli().execute("stdout", "--format", "yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("--format");
    assertThat(output()).isEmpty();
  }
}
