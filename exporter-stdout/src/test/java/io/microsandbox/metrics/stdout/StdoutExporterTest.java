package io.microsandbox.metrics.stdout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StdoutExporterTest {
  /** 2026-05-30T02:44:31Z, the time of docs/commands.md's example line. */
  private static final long T = 1_780_109_071_000L;

  /** The sandbox of docs/commands.md's example line. */
  private static SandboxSnapshot devbox() {
    return SandboxSnapshot.builder()
        .sandboxId(33)
        .name("devbox")
        .sampledAtMs(T + 400)
        .startedAtMs(T + 400 - 148_515_000L) // 2475m15s
        .cpuPercent(0.0107f)
        .raw(SampleField.MEMORY_BYTES, 14_260_634L) // 13.6 MiB
        .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
        .raw(SampleField.DISK_READ_BYTES, 93_637_837L) // 89.3 MiB
        .raw(SampleField.DISK_WRITE_BYTES, 676_014_490L) // 644.7 MiB
        .raw(SampleField.NET_RX_BYTES, 48L << 20)
        .raw(SampleField.NET_TX_BYTES, 274_944L) // 268.5 KiB
        .build();
  }

  private static ExportBatch batch(long dropped, SnapshotCollection... collections) {
    return new ExportBatch(List.of(collections), dropped, CollectorTelemetry.EMPTY);
  }

  private static String export(StdoutExporter.Format format, ExportBatch batch) throws Exception {
    StringWriter out = new StringWriter();
    ExportResult r = StdoutExporter.builder().format(format).output(out).build().export(batch);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.exportedPoints()).isEqualTo(batch.sampleCount());
    return out.toString();
  }

  @Test
  void textMatchesTheSpecExampleAtTheSamplesOwnTimeThenLabels() throws Exception {
    SnapshotCollection c =
        new SnapshotCollection(
            T + 900, List.of(devbox()), Map.of(33, Map.of("owner", "ana", "team", "infra")));

    assertThat(export(StdoutExporter.Format.TEXT, batch(0, c)))
        .isEqualTo(
            "2026-05-30T02:44:31Z sandbox=devbox id=33 cpu=0.000107 mem=13.6 MiB / 512.0 MiB"
                + " disk_r=89.3 MiB disk_w=644.7 MiB net_rx=48.0 MiB net_tx=268.5 KiB"
                + " uptime=2475m15s owner=ana team=infra\n");
  }

  @Test
  void textPrintsEmptyCollectionsDropsAndHugeValuesWithoutWrapping() throws Exception {
    SandboxSnapshot huge =
        devbox().toBuilder()
            .name("my box")
            .raw(SampleField.DISK_READ_BYTES, -1L)
            .raw(SampleField.NET_TX_BYTES, 1000)
            .build();
    String text =
        export(
            StdoutExporter.Format.TEXT,
            batch(2, SnapshotCollection.of(T, List.of()), SnapshotCollection.of(T, List.of(huge))));

    assertThat(text.split("\n"))
        .containsExactly(
            "(dropped 2 collections while the buffer was full)",
            "2026-05-30T02:44:31Z (no active sandboxes)",
            "2026-05-30T02:44:31Z sandbox=\"my box\" id=33 cpu=0.000107 mem=13.6 MiB / 512.0 MiB"
                + " disk_r=16.0 EiB disk_w=644.7 MiB net_rx=48.0 MiB net_tx=1000 B"
                + " uptime=2475m15s");
  }

  @Test
  void bidiControlsInNamesAndLabelKeysAreEscapedInTextLines() throws Exception {
    SandboxSnapshot spoof = devbox().toBuilder().name("web-\u202Etxt.exe").build();
    SnapshotCollection c =
        new SnapshotCollection(
            T + 900, List.of(spoof), Map.of(33, Map.of("te\u200Fam", "in\u202Cfra")));

    String text = export(StdoutExporter.Format.TEXT, batch(0, c));

    assertThat(text).doesNotContain("\u202E", "\u202C", "\u200F");
    assertThat(text)
        .contains("sandbox=\"web-\\u202etxt.exe\" id=33")
        .endsWith(" \"te\\u200fam\"=\"in\\u202cfra\"\n");
  }

  @Test
  void jsonIsOneObjectPerSampleWithTheSnapshotKeysCollectionTimeAndLabels() throws Exception {
    SandboxSnapshot a = Samples.sample(1, T - 100);
    SandboxSnapshot b = Samples.sample(2, T - 50);
    String json =
        export(
            StdoutExporter.Format.JSON,
            batch(
                3,
                new SnapshotCollection(T, List.of(a, b), Map.of(2, Map.of("team", "infra"))),
                SnapshotCollection.of(T + 1000, List.of())));

    ObjectMapper m = new ObjectMapper();
    List<String> lines = List.of(json.split("\n"));
    assertThat(lines).hasSize(4);
    assertThat(m.readTree(lines.get(0))).isEqualTo(m.readTree("{\"dropped_collections\":3}"));
    JsonNode first = m.readTree(lines.get(1));
    assertThat(first.get("collected_at_ms").asLong()).isEqualTo(T);
    assertThat(first.get("sandbox_id").asInt()).isEqualTo(1);
    assertThat(first.get("name").asText()).isEqualTo("sandbox-1");
    assertThat(first.get("sampled_at_ms").asLong()).isEqualTo(T - 100);
    assertThat(first.get("disk_read_bytes").bigIntegerValue())
        .isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(first.get("net_tx_bytes").bigIntegerValue())
        .isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(first.get("upper_used_bytes").isNull()).isTrue();
    assertThat(first.get("labels").isEmpty()).isTrue();
    assertThat(first.get("cpu_limit").isNull()).as("vCPUs unknown").isTrue();
    JsonNode second = m.readTree(lines.get(2));
    assertThat(second.get("labels")).isEqualTo(m.readTree("{\"team\":\"infra\"}"));
    assertThat(m.readTree(lines.get(3)))
        .isEqualTo(m.readTree("{\"collected_at_ms\":" + (T + 1000) + ",\"sandboxes\":0}"));
  }

  @Test
  void aFailedWriteIsFinalNotCountedAsExportedAndReportedOnce() throws Exception {
    // what System.out does under a closed pipe: it swallows the error and sets its flag
    PrintStream closedPipe =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
              }
            },
            true);
    AtomicInteger failures = new AtomicInteger();
    StdoutExporter exporter =
        StdoutExporter.builder()
            .output(new PrintWriter(closedPipe, true))
            .checkErrorsOf(closedPipe)
            .onOutputFailure(failures::incrementAndGet)
            .build();
    ExportBatch one = batch(0, new SnapshotCollection(T, List.of(devbox()), Map.of()));

    ExportResult first = exporter.export(one);
    assertThat(first.kind()).isEqualTo(ExportResult.Kind.REJECTED);
    assertThat(first.isClosed()).as("an output gone, not a refusal to log as an error").isTrue();
    assertThat(first.exportedPoints()).isZero();
    assertThat(first.message()).contains("closed or failing");
    ExportResult second = exporter.export(one);
    assertThat(second.kind()).isEqualTo(ExportResult.Kind.REJECTED);
    assertThat(second.isClosed()).isTrue();
    assertThat(exporter.outputFailed()).isTrue();
    assertThat(failures).hasValue(1);
  }

  /**
   * A runtime killed (or slow) leaves its last sample in the registry, reported again by the next
   * collections: printed once, not once per collection.
   */
  @Test
  void aSampleReportedAgainIsPrintedOnce() throws Exception {
    StringWriter out = new StringWriter();
    StdoutExporter exporter = StdoutExporter.builder().output(out).build();
    SnapshotCollection first = new SnapshotCollection(T, List.of(devbox()), Map.of());
    SnapshotCollection again = new SnapshotCollection(T + 1000, List.of(devbox()), Map.of());

    assertThat(exporter.export(batch(0, first)).isSuccess()).isTrue();
    assertThat(exporter.export(batch(0, again)).isSuccess()).isTrue();
    assertThat(exporter.export(batch(0, again, again)).isSuccess()).isTrue();

    assertThat(out.toString().lines()).hasSize(1);
    assertThat(out.toString()).contains("sandbox=devbox");
  }

  @Test
  void textShowsTheAllocationAsMsbMetricsDoesAndTheCatalogsMemoryLimit() throws Exception {
    SandboxSnapshot busy = devbox().toBuilder().cpuPercent(80f).build();
    SnapshotCollection c =
        new SnapshotCollection(
            T + 900,
            List.of(busy),
            Map.of(),
            Map.of(33, new Allocation(2, 1024, 2, 1024, 1000, false)));

    assertThat(export(StdoutExporter.Format.TEXT, batch(0, c)))
        .startsWith(
            "2026-05-30T02:44:31Z sandbox=devbox id=33 cpu=0.80/2c mem=13.6 MiB / 1.0 GiB disk_r=");
  }

  @Test
  void jsonCarriesTheCpuLimitAndTheCatalogsMemoryLimit() throws Exception {
    SandboxSnapshot a = Samples.sample(1, T - 100);
    String json =
        export(
            StdoutExporter.Format.JSON,
            batch(
                0,
                new SnapshotCollection(
                    T, List.of(a), Map.of(), Map.of(1, new Allocation(4, 2048, 0, 0, 0, true)))));

    JsonNode line = new ObjectMapper().readTree(json);
    assertThat(line.get("cpu_limit").asInt()).isEqualTo(4);
    assertThat(line.get("memory_limit_bytes").asLong()).isEqualTo(2048L << 20);
  }
}
