package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microsandbox.metrics.registry.testing.TempShm;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code msb-metrics prometheus} and {@code --listen} end to end over real sockets. */
@Timeout(60)
class PrometheusCommandTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path home;

  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private final StringWriter err = new StringWriter();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (accept != null) {
      r.header("Accept", accept);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Polls {@code path} until {@code done} holds for the answer (the server may still start). */
  HttpResponse<String> await(int port, String path, Predicate<HttpResponse<String>> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<String> r = get(port, path, null);
        if (done.test(r)) {
          return r;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(System.nanoTime())
          .as("waiting for %s; stderr: %s", path, err)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  CompletableFuture<Integer> run(String... args) {
    CommandLine cli = StoppableCli.create(stop, new StringWriter(), err);
    return CompletableFuture.supplyAsync(() -> cli.execute(args));
  }

  @Test
  void servesARealRegistryWithCatalogLabelsThatPromtoolAccepts() throws Exception {
    int port = freePort();
    try (LabelledHome labelled = new LabelledHome(shm, home)) {
      labelled.writeCatalog();
      CompletableFuture<Integer> exit =
          run(
              "prometheus",
              "--listen",
              "127.0.0.1:" + port,
              "--msb-home",
              home.toString(),
              "--exclude-label-key",
              "secret",
              "--collect-interval",
              "50ms");
      await(port, "/-/ready", r -> r.statusCode() == 200);
      HttpResponse<String> scrape = get(port, "/metrics", null);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(scrape.body())
          .contains(
              "microsandbox_memory_usage_bytes{sandbox_id=\"40\",sandbox_name=\"web\","
                  + "tier=\"web\",user_id=\"alice\"} ")
          .contains("microsandbox_memory_limit_bytes{sandbox_id=\"42\",sandbox_name=\"unlisted\"}")
          .contains("# TYPE microsandbox_cpu_time_seconds_total counter\n")
          .contains("microsandbox_collector_exports_success_total ")
          .contains("target_info{service_name=\"microsandbox\"} 1\n")
          .doesNotContain("impostor")
          .doesNotContain("secret");
      assertThat(get(port, "/-/healthy", null).statusCode()).isEqualTo(200);
      // the scrape's exporter is fed every collection: no 10 s flush interval or next attempt
      String status = get(port, "/status", null).body();
      assertThat(status)
          .contains("\"flush_on_collect\" : true")
          .contains("\"flush_interval_seconds\" : null")
          .contains("\"next_attempt\" : null")
          .doesNotContain("\"flush_interval_seconds\" : 10");

      Optional<Path> promtool = onPath("promtool");
      if (promtool.isEmpty()) {
        System.err.println("promtool not installed (apt-get install prometheus): check skipped");
      } else {
        Path file = home.resolve("scrape.txt");
        Files.writeString(file, scrape.body());
        Process p =
            new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
      }
      stop.complete("test stop");
      assertThat(exit.get(20, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    } finally {
      stop.complete("test end");
    }
  }

  /** promtool's lint on a real scrape needs the tool; skipped with a message when missing. */
  @Test
  void promtoolIsThereToCheckScrapes() {
    assumeTrue(
        onPath("promtool").isPresent(), "promtool not installed (apt-get install prometheus)");
  }

  @Test
  void aPortInUseIsAOneLineErrorWithExitCode2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int exit =
          run(
                  "prometheus",
                  "--listen",
                  "127.0.0.1:" + taken.getLocalPort(),
                  "--msb-home",
                  home.toString())
              .get(20, TimeUnit.SECONDS);
      assertThat(exit).isEqualTo(2);
      assertThat(err.toString().strip())
          .startsWith("msb-metrics prometheus: --listen: cannot listen on 127.0.0.1:")
          .contains("in use")
          .hasLineCount(1);
    }
  }

  @Test
  void listenIsRequiredAndMustBeHostPort() throws Exception {
    assertThat(run("prometheus", "--msb-home", home.toString()).get(20, TimeUnit.SECONDS))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--listen HOST:PORT is required");
    assertThat(run("prometheus", "--listen", "127.0.0.1:http").get(20, TimeUnit.SECONDS))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--listen: expected HOST:PORT");
  }

  @Test
  void theDefaultHostIsLoopback() {
    CommandLine cli = new CommandLine(new MsbMetrics());
    assertThat(ListenOptions.parse(cli, ":9464").getAddress().isLoopbackAddress()).isTrue();
    assertThat(ListenOptions.parse(cli, "9464").getAddress().isLoopbackAddress()).isTrue();
    assertThat(ListenOptions.parse(cli, "0.0.0.0:9464").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(ListenOptions.parse(cli, "[::1]:9464").getPort()).isEqualTo(9464);
  }

  /** otel --listen during a backend outage: live, ready, /status says why, and shows no secret. */
  @Test
  void otelWithListenStaysHealthyThroughAnOutageAndStatusHoldsNoSecret() throws Exception {
    int port = freePort();
    int dead = freePort(); // nothing listens there: every export fails
    try (LabelledHome labelled = new LabelledHome(shm, home)) {
      CompletableFuture<Integer> exit =
          run(
              "otel",
              "--endpoint",
              "http://127.0.0.1:" + dead + "/v1/metrics",
              "--protocol",
              "http",
              "--header",
              "Authorization=Bearer s3cr3t-t0ken",
              "--listen",
              "127.0.0.1:" + port,
              "--msb-home",
              home.toString(),
              "--no-labels",
              "--collect-interval",
              "50ms",
              "--flush-interval",
              "100ms",
              "--export-timeout",
              "2s");
      HttpResponse<String> status =
          await(
              port,
              "/status",
              r -> r.statusCode() == 200 && r.body().contains("\"consecutive_failures\" : 2"));
      assertThat(status.body())
          .contains("\"name\" : \"otlp\"")
          .contains("\"last_error\" : \"")
          .doesNotContain("s3cr3t")
          .doesNotContain("Bearer");
      assertThat(get(port, "/-/healthy", null).statusCode()).isEqualTo(200);
      assertThat(get(port, "/-/ready", null).statusCode()).isEqualTo(200);
      // the scrape works while OTLP is down
      assertThat(get(port, "/metrics", null).body()).contains("sandbox_name=\"web\"");
      stop.complete("test stop");
      assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(1); // the final export failed too
    } finally {
      stop.complete("test end");
    }
  }

  static Optional<Path> onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
