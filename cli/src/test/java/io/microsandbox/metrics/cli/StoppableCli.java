package io.microsandbox.metrics.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * The {@code msb-metrics} command line for tests of the collecting commands: {@code stdout} and
 * {@code otel} stop when {@code stop} completes instead of on a signal, and {@code otel} sees an
 * empty (or the given) environment, never the OTEL_EXPORTER_OTLP_*HEADERS of the test machine.
 */
final class StoppableCli {
  private StoppableCli() {}

  /** A command line writing to {@code out} and {@code err}. */
  static CommandLine create(CompletableFuture<String> stop, StringWriter out, StringWriter err) {
    return create(stop, out, err, Map.of());
  }

  /** The same, with {@code env} as the environment {@code otel} reads its header variables from. */
  static CommandLine create(
      CompletableFuture<String> stop, StringWriter out, StringWriter err, Map<String, String> env) {
    CommandLine cli =
        CliRun.commandLine(
            created -> {
              if (created instanceof StdoutCommand) {
                ((StdoutCommand) created).stop = stop;
              } else if (created instanceof PrometheusCommand) {
                ((PrometheusCommand) created).stop = stop;
              } else if (created instanceof OtelCommand) {
                ((OtelCommand) created).env = env;
                ((OtelCommand) created).stop = stop;
              }
            });
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
