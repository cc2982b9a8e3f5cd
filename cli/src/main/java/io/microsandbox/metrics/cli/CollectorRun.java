package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The run block every collecting command shares ({@code stdout}, {@code otel}, {@code demo}, {@code
 * prometheus}): bind {@code --listen} (an address in use is a usage error before anything starts),
 * build and start the collector, serve the endpoints, run until a stop signal, shut down, close the
 * listener.
 *
 * <pre>{@code
 * builder (exporters registered) --> bind --listen --> build().start() --> serve --> wait for stop
 *                                                                               --> shutdown, close
 * }</pre>
 */
final class CollectorRun {
  private CollectorRun() {}

  /**
   * Builds the collector; a setting the library refuses is a usage error naming its flag: the
   * library's setting names are the flags' names in camel case ({@code maxBuffered} is {@code
   * --max-buffered}).
   *
   * @throws CommandLine.ParameterException for a refused setting (exit code 2)
   */
  static MetricsCollector build(CommandLine cli, MetricsCollector.Builder builder) {
    try {
      return builder.build();
    } catch (InvalidSettingException e) {
      String setting = e.setting();
      String flag =
          setting.matches("[a-z][A-Za-z]*")
                  && cli.getCommandSpec().findOption("--" + kebab(setting)) != null
              ? "--" + kebab(setting) + ": "
              : "";
      throw new CommandLine.ParameterException(cli, flag + e.getMessage(), e);
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Runs the collector {@code builder} describes until {@code stop} completes.
   *
   * @param cli the command, for usage errors and the spool-in-use line
   * @param listen the command's {@code --listen} (nothing is served without it)
   * @param emitRunId {@code --emit-run-id}, for the scrape
   * @param emitPid {@code --emit-pid}, for the scrape
   * @param resource {@code --resource}, for the scrape's target_info
   * @param exportTimeout bounds the final export at shutdown
   * @param onStart told the running collector once it serves
   * @return the exit code: 0, 1 when the final export failed, 2 when another process holds the
   *     spool directory (nothing started)
   * @throws CommandLine.ParameterException for a bad or busy {@code --listen} (exit code 2)
   */
  static int run(
      CommandLine cli,
      MetricsCollector.Builder builder,
      ListenOptions listen,
      boolean emitRunId,
      boolean emitPid,
      Map<String, String> resource,
      CompletableFuture<String> stop,
      Duration exportTimeout,
      Consumer<RunningCollector> onStart)
      throws InterruptedException {
    try (ListenOptions.Listener listener =
        listen.bind(cli, builder, emitRunId, emitPid, resource)) {
      RunningCollector running;
      try {
        running = build(cli, builder).start();
      } catch (SpoolInUseException e) {
        cli.getErr().println("msb-metrics: " + e.getMessage());
        cli.getErr().flush();
        return 2;
      }
      listener.serve(running);
      onStart.accept(running);
      return UntilSignal.run(running, stop, exportTimeout);
    }
  }
}
