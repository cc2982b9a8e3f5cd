package io.microsandbox.metrics.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * The {@code msb-metrics} command line for tests of the collecting commands: {@code stdout} and
 * {@code otel} stop when {@code stop} completes instead of on a signal, and {@code otel} sees an
 * empty environment (no {@code OTEL_EXPORTER_OTLP_*HEADERS} from the machine running the tests).
 */
final class StoppableCli {
  private StoppableCli() {}

  /** A command line writing to {@code out} and {@code err}. */
  static CommandLine create(CompletableFuture<String> stop, StringWriter out, StringWriter err) {
    CommandLine cli =
        MsbMetrics.commandLine(
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> cls) throws Exception {
                K created = CommandLine.defaultFactory().create(cls);
                if (created instanceof StdoutCommand) {
                  ((StdoutCommand) created).stop = stop;
                } else if (created instanceof OtelCommand) {
                  ((OtelCommand) created).env = Map.of();
                  ((OtelCommand) created).stop = stop;
                }
                return created;
              }
            });
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
