package io.microsandbox.metrics.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** One in-process run of the configured {@code msb-metrics} command line. */
final class CliRun {
  /** The exit code. */
  final int exit;

  /** What the command printed on standard output. */
  final String out;

  /** What the command printed on standard error. */
  final String err;

  private CliRun(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code args}; {@code configure} sees every object picocli creates (commands, mixins)
   * before anything runs, to swap in the test's environment, clocks and fakes.
   */
  static CliRun run(Consumer<Object> configure, String... args) {
    CommandLine cli = commandLine(configure);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The configured command line; {@code configure} sees every object picocli creates. */
  static CommandLine commandLine(Consumer<Object> configure) {
    return MsbMetrics.commandLine(
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            K created = CommandLine.defaultFactory().create(cls);
            configure.accept(created);
            return created;
          }
        });
  }
}
