package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code msb-metrics demo} run in-process for a few seconds with a short collect/flush interval:
 * the real simulator, reader, collector and exporters end to end.
 */
@Timeout(60)
class DemoCommandTest {

  /** Exit code, stdout and stderr of one run, and the command object that ran. */
  private static final class Run {
    int exit;
    String out;
    String err;
    DemoCommand demo;
  }

  /**
   * Runs {@code args}; the demo stops only through {@code --duration} (never on a signal sent to
   * the test JVM), and OTLP headers are not taken from the machine's environment.
   */
  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = StoppableCli.create(new CompletableFuture<>(), out, err);
    Run run = new Run();
    run.demo = cli.getSubcommands().get("demo").getCommand();
    run.demo.stop = new CompletableFuture<>();
    run.exit = cli.execute(args);
    run.out = out.toString();
    run.err = err.toString();
    return run;
  }

  private static void assertNothingLeftBehind(DemoCommand demo) {
    assertThat(demo.simulation).isNotNull();
    assertThat(Path.of("/dev/shm", demo.simulation.registryName().substring(1))).doesNotExist();
    assertThat(Files.exists(demo.simulation.msbHome())).isFalse();
  }

  @Test
  void printsEverySandboxToStdoutAndCleansUp() {
    Run run =
        run(
            "demo",
            "--sandboxes",
            "3",
            "--duration",
            "3s",
            "--collect-interval",
            "500ms",
            "--flush-interval",
            "500ms");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.err)
        .contains("demo: MSB_HOME=" + run.demo.simulation.msbHome())
        .contains("msb-metrics top --msb-home " + run.demo.simulation.msbHome());
    // the three sandboxes, with their catalog labels, more than once
    for (String name : new String[] {"devbox", "web", "api"}) {
      assertThat(run.out).contains("sandbox=" + name + " ");
    }
    assertThat(run.out).contains("env=demo");
    assertThat(run.out.lines().filter(l -> l.contains("sandbox=web ")).count()).isGreaterThan(2);
    assertNothingLeftBehind(run.demo);
  }

  @Test
  void shipsOverOtlpWhenAnEndpointIsGiven() throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      Run run =
          run(
              "demo",
              "--sandboxes",
              "2",
              "--duration",
              "3s",
              "--collect-interval",
              "500ms",
              "--endpoint",
              receiver.endpoint(),
              "--resource",
              "deployment.environment.name=demo");

      assertThat(run.exit).as(run.err).isZero();
      assertThat(run.out).as("nothing on stdout when shipping over OTLP").isEmpty();
      Set<String> names = new HashSet<>();
      for (ReceivedRequest r : receiver.accepted()) {
        for (NumberDataPoint p : r.points("microsandbox.memory.usage")) {
          for (KeyValue kv : p.getAttributesList()) {
            if (kv.getKey().equals("sandbox.name")) {
              names.add(kv.getValue().getStringValue());
            }
          }
        }
      }
      assertThat(names).containsExactlyInAnyOrder("devbox", "web");
      assertNothingLeftBehind(run.demo);
    }
  }

  /** Writes and scans both run at a fixed rate: half a period apart, they never meet. */
  @Test
  void simulatedRuntimesWriteHalfwayBetweenTwoCollections() {
    assertThat(DemoCommand.sampleOffset(java.time.Duration.ofSeconds(1))).hasMillis(500);
    assertThat(DemoCommand.sampleOffset(java.time.Duration.ofMillis(200))).hasMillis(100);
    assertThat(DemoCommand.sampleOffset(java.time.Duration.ofSeconds(5))).hasMillis(500);
  }

  @Test
  void badFlagsAreUsageErrorsBeforeAnythingStarts() {
    Run zero = run("demo", "--sandboxes", "0");
    assertThat(zero.exit).isEqualTo(2);
    assertThat(zero.err).contains("--sandboxes");

    Run home = run("demo", "--msb-home", "/tmp/x");
    assertThat(home.exit).as("the demo has a home of its own").isEqualTo(2);

    Run endpoint = run("demo", "--endpoint", "not a url", "--duration", "1s");
    assertThat(endpoint.exit).isEqualTo(2);
    assertThat(endpoint.err).contains("--endpoint");
    assertThat(endpoint.demo.simulation).as("nothing was created").isNull();
  }
}
