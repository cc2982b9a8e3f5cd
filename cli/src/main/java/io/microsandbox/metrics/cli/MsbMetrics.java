package io.microsandbox.metrics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code msb-metrics} command: global options (logging) and the subcommands.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage error (bad flag or value).
 */
@Command(
    name = "msb-metrics",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reads the microsandbox live-metrics registry and ships per-sandbox metrics.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      OtelCommand.class,
      PrometheusCommand.class,
      SnapshotCommand.class,
      StdoutCommand.class,
      TopCommand.class,
    })
public final class MsbMetrics implements Runnable {

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).",
      defaultValue = "info")
  LogLevel logLevel;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "text or json: one JSON object per line on stderr (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  TextOrJson logFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Runs the command line and returns the process exit code. */
  static int execute(String... args) {
    return commandLine(CommandLine.defaultFactory()).execute(args);
  }

  /**
   * The configured command line: logging set up before a command runs, usage errors as one line
   * (exit 2), runtime failures as one line (exit 1). Tests pass a factory that injects fakes.
   */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cli = new CommandLine(new MsbMetrics(), factory);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionStrategy(
        parseResult -> {
          MsbMetrics top = cli.getCommand();
          Logging.configure(top.logLevel, top.logFormat);
          return new CommandLine.RunLast().execute(parseResult);
        });
    // A usage error is one line naming the flag, not picocli's default full usage dump.
    cli.setParameterExceptionHandler(
        (ex, args1) -> {
          CommandLine commandLine = ex.getCommandLine();
          String command = commandLine.getCommandSpec().qualifiedName();
          commandLine
              .getErr()
              .println(command + ": " + ex.getMessage() + " (see '" + command + " --help')");
          return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("msb-metrics: " + ex.getMessage());
          return 1;
        });
    return cli;
  }

  /** Entry point of the bundled jar. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
