package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** {@code msb-metrics otel}: flag validation before anything starts, and a real run. */
@Timeout(30)
class OtelCommandTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tmp;

  private final Map<String, String> env = new HashMap<>();
  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = StoppableCli.create(stop, new StringWriter(), err, env);
    return cli.execute(args);
  }

  private String firstErrorLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void missingEndpointIsAUsageError() {
    assertThat(run("otel")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("msb-metrics otel: ").contains("--endpoint");
    assertThat(err.toString().lines()).as("one line, no usage dump").hasSize(1);
  }

  @Test
  void badValuesNameTheirFlag() throws Exception {
    Path pem = Files.writeString(tmp.resolve("ca.pem"), "not a certificate");
    Path missing = tmp.resolve("missing.pem");
    String[][] cases = {
      {"--endpoint", "localhost:4317"},
      {"--endpoint", "ftp://host:4317"},
      {"--endpoint", "http://h:4318/v1/metrics", "--protocol", "carrier-pigeon"},
      {"--endpoint", "http://h:4318", "--compression", "zstd"},
      {"--endpoint", "https://h:4317", "--ca-cert", missing.toString()},
      {"--endpoint", "https://h:4317", "--ca-cert", pem.toString()},
      {"--endpoint", "http://h:4317", "--ca-cert", pem.toString()},
      {"--endpoint", "https://h:4317", "--client-cert", pem.toString()},
      {"--endpoint", "https://h:4317", "--client-key", pem.toString()},
      {"--endpoint", "http://h:4317", "--header", "Bearer-token-without-key"},
      {"--endpoint", "http://h:4317", "--header", "Host=elsewhere"},
      {"--endpoint", "http://h:4317", "--resource", "=value"},
      {"--endpoint", "http://h:4317", "--flush-interval", "soon"},
    };
    String[] flags = {
      "--endpoint",
      "--endpoint",
      "--protocol",
      "--compression",
      "--ca-cert",
      "--ca-cert",
      "--ca-cert",
      "--client-cert",
      "--client-key",
      "--header",
      "--header",
      "--resource",
      "--flush-interval"
    };
    for (int i = 0; i < cases.length; i++) {
      err.getBuffer().setLength(0);
      String[] args = new String[cases[i].length + 1];
      args[0] = "otel";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(firstErrorLine()).as(String.join(" ", args)).contains(flags[i]);
    }
  }

  @Test
  void headerValuesNeverAppearInErrors() {
    env.put(OtelCommand.ENV_HEADERS, "authorization=Bearer%20s3cret,broken");
    assertThat(run("otel", "--endpoint", "http://h:4317")).isEqualTo(2);
    assertThat(firstErrorLine()).contains(OtelCommand.ENV_HEADERS);
    assertThat(err.toString()).doesNotContain("s3cret");
  }

  @Test
  void endpointCredentialsNeverAppearInErrors() throws Exception {
    Path pem = Files.writeString(tmp.resolve("ca.pem"), "not a certificate");
    String[][] cases = {
      {"--endpoint", "ftp://alice:s3cret@h:4317?token=t0ken"},
      {"--endpoint", "http://alice:s3cret@h:4317/bad path?token=t0ken"},
      {"--endpoint", "http://alice:s3cret@h:4317?token=t0ken", "--ca-cert", pem.toString()},
      {"--endpoint", "http://alice:s3cret@h:99999?token=t0ken"},
    };
    for (String[] c : cases) {
      err.getBuffer().setLength(0);
      String[] args = new String[c.length + 1];
      args[0] = "otel";
      System.arraycopy(c, 0, args, 1, c.length);
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(firstErrorLine()).as(String.join(" ", args)).contains("--endpoint");
      assertThat(err.toString()).doesNotContain("s3cret").doesNotContain("t0ken");
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void shipsARealRegistryAtSampleTimesWithHeadersFromEveryPlace(OtlpProtocol protocol)
      throws Exception {
    Path home = Files.createDirectories(tmp.resolve("msb-home"));
    String name = shm.track(RegistryName.forHome(home.toString()));
    GoldenImages.install("basic", name);
    env.put(OtelCommand.ENV_HEADERS, "x-tenant=from-env,x-both=generic");
    env.put(OtelCommand.ENV_METRICS_HEADERS, "x-both=metrics%20wins");
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.requireHeader("authorization", "Bearer s3cret");
      Future<Integer> exit =
          runner.submit(
              () ->
                  run(
                      "otel",
                      "--endpoint",
                      receiver.endpoint(),
                      "--protocol",
                      protocol == OtlpProtocol.GRPC ? "grpc" : "http",
                      "--compression",
                      "gzip",
                      "--header",
                      "Authorization=Bearer s3cret",
                      "--resource",
                      "service.name=msb-test",
                      "--emit-pid",
                      "--msb-home",
                      home.toString(),
                      "--no-catalog",
                      "--collect-interval",
                      "50ms",
                      "--flush-interval",
                      "200ms",
                      "--max-sample-age",
                      "0"));
      ReceivedRequest r = awaitSandboxPoints(receiver);
      stop.complete("test stop");
      assertThat(exit.get(20, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(0);

      assertThat(r.header("x-tenant")).isEqualTo("from-env");
      assertThat(r.header("x-both")).isEqualTo("metrics wins");
      assertThat(r.contentEncoding()).isEqualTo("gzip");
      List<Long> times = new ArrayList<>();
      for (NumberDataPoint p : r.points("microsandbox.memory.usage")) {
        times.add(p.getTimeUnixNano() / 1_000_000L);
      }
      // the golden samples' own times, not the export time
      assertThat(times).contains(1_700_000_061_234L);
      assertThat(r.request().getResourceMetrics(0).getResource().getAttributesList())
          .anySatisfy(
              kv -> {
                assertThat(kv.getKey()).isEqualTo("service.name");
                assertThat(kv.getValue().getStringValue()).isEqualTo("msb-test");
              });
      assertThat(r.points("microsandbox.memory.usage").get(0).getAttributesList())
          .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("sandbox.pid"));
      assertThat(err.toString()).doesNotContain("s3cret");
    } finally {
      stop.complete("test end");
      runner.shutdownNow();
    }
  }

  @Test
  void theFirstExportGoesWithTheFirstCollectionNotOneFlushIntervalAfterStart() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("msb-home-first"));
    String name = shm.track(RegistryName.forHome(home.toString()));
    GoldenImages.install("basic", name);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      Future<Integer> exit =
          runner.submit(
              () ->
                  run(
                      "otel",
                      "--endpoint",
                      receiver.endpoint(),
                      "--msb-home",
                      home.toString(),
                      "--no-catalog",
                      "--flush-interval",
                      "1h",
                      "--max-sample-age",
                      "0"));
      // an hour's flush interval: only the first export can arrive while the test waits
      ReceivedRequest r = awaitSandboxPoints(receiver);
      assertThat(r.points("microsandbox.memory.usage")).isNotEmpty();
      stop.complete("test stop");
      assertThat(exit.get(20, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(0);
    } finally {
      stop.complete("test end");
      runner.shutdownNow();
    }
  }

  private static ReceivedRequest awaitSandboxPoints(OtlpTestReceiver receiver)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      for (ReceivedRequest r : receiver.accepted()) {
        if (!r.points("microsandbox.memory.usage").isEmpty()) {
          return r;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no sandbox points arrived; received " + receiver.received().size());
  }
}
