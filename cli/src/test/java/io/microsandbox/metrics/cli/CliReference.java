package io.microsandbox.metrics.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The CLI reference under {@code docs/cli/}, generated from the picocli model of {@link MsbMetrics}
 * so that it cannot drift from the code:
 *
 * <ul>
 *   <li>{@code msb-metrics.adoc} and {@code msb-metrics-<command>.adoc}: picocli-codegen's AsciiDoc
 *       man pages, one per command (GitHub renders them);
 *   <li>{@code msb-metrics.1}: one troff man page for the tarball's {@code man/man1/}, each
 *       command's {@code --help} text under its own heading (no AsciiDoc tool needed to build it).
 * </ul>
 *
 * {@link CliReferenceTest} regenerates both and compares them with the files.
 */
final class CliReference {
  /** The width of the help text: with the man page's indent of 7, within 80 columns. */
  static final int WIDTH = 72;

  private CliReference() {}

  /** Every file of {@code docs/cli/} by name, as the code describes the commands now. */
  static Map<String, String> files() {
    CommandLine root = model();
    Map<String, String> files = new LinkedHashMap<>();
    for (CommandLine cli : commands(root)) {
      StringWriter adoc = new StringWriter();
      try (PrintWriter out = new PrintWriter(adoc)) {
        ManPageGenerator.writeSingleManPage(out, cli.getCommandSpec());
      }
      files.put(fileName(cli.getCommandSpec()) + ".adoc", adoc.toString());
    }
    files.put("msb-metrics.1", manPage(root));
    return files;
  }

  /** The command line as users get it, without anything that varies by machine or release. */
  static CommandLine model() {
    CommandLine root = new CommandLine(new MsbMetrics());
    // picocli's built-in help command has no page of its own: `--help` on each command is shown
    root.getCommandSpec().removeSubcommand("help");
    for (CommandLine cli : commands(root)) {
      // the version would make every release a change to the reference
      cli.getCommandSpec().versionProvider(() -> new String[0]);
      cli.getCommandSpec().usageMessage().width(WIDTH);
    }
    return root;
  }

  /** The root command, then its commands by name. */
  static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    root.getSubcommands().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> all.add(e.getValue()));
    return all;
  }

  /** {@code msb-metrics}, {@code msb-metrics-otel}: picocli-codegen's file name of a command. */
  static String fileName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  /** The troff man page: every command's help under its heading, then what every command shares. */
  static String manPage(CommandLine root) {
    StringBuilder page = new StringBuilder();
    page.append(".\\\" Generated from the picocli model by CliReference (cli test sources);")
        .append(" do not edit.\n")
        .append(".TH MSB-METRICS 1 \"\" \"msb-metrics\" \"User Commands\"\n")
        .append(".SH NAME\n")
        .append(
            "msb-metrics \\- read microsandbox's metrics registry and ship per-sandbox metrics\n")
        .append(".SH SYNOPSIS\n")
        .append(".B msb-metrics\n")
        .append("[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]\n")
        .append(".SH DESCRIPTION\n");
    preformatted(page, help(root));
    page.append(".SH COMMANDS\n");
    for (CommandLine cli : commands(root).subList(1, commands(root).size())) {
      page.append(".SS ").append(cli.getCommandName()).append('\n');
      preformatted(page, help(cli));
    }
    page.append(
        """
        .SH EXIT STATUS
        .TP
        .B 0
        success
        .TP
        .B 1
        runtime failure (otel, stdout, demo: the final export at shutdown failed)
        .TP
        .B 2
        usage error: a bad flag or value, one line naming the flag, before anything starts
        .SH ENVIRONMENT
        .TP
        .B MSB_HOME
        the microsandbox home when \\-\\-msb\\-home is not given (else $HOME/.microsandbox)
        .TP
        .B OTEL_EXPORTER_OTLP_HEADERS\\fR, \\fBOTEL_EXPORTER_OTLP_METRICS_HEADERS
        OTLP request headers (k=v,k2=v2), kept out of the command line
        .TP
        .B MSB_METRICS_JAVA_OPTS
        JVM options the launcher adds after its own
        .SH FILES
        .TP
        .I /dev/shm/msb\\-met\\-<hash of the home>\\-v3
        the registry microsandbox writes (read only)
        .TP
        .I $MSB_HOME/db/msb.db
        microsandbox's catalog: labels and allocations (read only)
        .SH SEE ALSO
        The README and docs/ of the msb\\-metrics distribution.
        """);
    return page.toString();
  }

  private static String help(CommandLine cli) {
    return cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** {@code text} as a no-fill block: troff's escapes and control characters made literal. */
  private static void preformatted(StringBuilder page, String text) {
    page.append(".nf\n");
    for (String line : text.stripTrailing().split("\n", -1)) {
      String escaped = line.replace("\\", "\\e").replace("-", "\\-");
      if (escaped.startsWith(".") || escaped.startsWith("'")) {
        escaped = "\\&" + escaped;
      }
      page.append(escaped.isEmpty() ? "" : escaped).append('\n');
    }
    page.append(".fi\n");
  }

  /** For messages: the name of the system property that makes the test write the files. */
  static final String WRITE_PROPERTY = "cli.reference.write";
}
