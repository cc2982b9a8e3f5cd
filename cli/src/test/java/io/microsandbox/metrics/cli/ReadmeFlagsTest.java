package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README and the documents under docs/ stay true of the command line: every {@code --flag} they
 * name is an option of {@code msb-metrics} or one of its commands, and every command the README
 * lists exists. The benchmark history is left out: it quotes the flags of its time.
 */
class ReadmeFlagsTest {
  /** A long flag, not one of another program's dotted flags (--web.enable-otlp-receiver). */
  private static final Pattern FLAG =
      Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*[a-z0-9](?![\\w.-])");

  private static Path root() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  }

  private static String readme() throws Exception {
    return Files.readString(root().resolve("README.md"));
  }

  /** The README and every docs/*.md but the benchmark history. */
  private static String documentation() throws Exception {
    StringBuilder text = new StringBuilder(readme());
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      for (Path doc :
          docs.filter(p -> p.getFileName().toString().endsWith(".md"))
              .filter(p -> !p.getFileName().toString().equals("benchmarks.md"))
              .sorted()
              .toList()) {
        text.append('\n').append(Files.readString(doc));
      }
    }
    return text.toString();
  }

  private static Set<String> optionNames(CommandLine cli, Set<String> into) {
    for (OptionSpec o : cli.getCommandSpec().options()) {
      into.addAll(Set.of(o.names()));
    }
    cli.getSubcommands().values().forEach(sub -> optionNames(sub, into));
    return into;
  }

  @Test
  void everyFlagTheDocumentationNamesExists() throws Exception {
    Set<String> known = optionNames(new CommandLine(new MsbMetrics()), new HashSet<>());
    Set<String> named = new TreeSet<>();
    Matcher m = FLAG.matcher(documentation());
    while (m.find()) {
      named.add(m.group());
    }
    assertThat(named)
        .contains("--endpoint", "--sandboxes", "--log-format", "--interval", "--filter", "--once")
        .isSubsetOf(known);
  }

  @Test
  void everyCommandTheReadmeListsExists() throws Exception {
    Set<String> commands = new CommandLine(new MsbMetrics()).getSubcommands().keySet();
    String readme = readme();
    // the command table only: other tables (modules) also start rows with a code word
    String commandsSection =
        readme.substring(
            readme.indexOf("## Commands"),
            readme.indexOf("\n## ", readme.indexOf("## Commands") + 1));
    Matcher m = Pattern.compile("(?m)^\\| `([a-z]+)[ `]").matcher(commandsSection);
    Set<String> listed = new TreeSet<>();
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertThat(listed)
        .containsExactlyInAnyOrder("snapshot", "stdout", "otel", "demo", "prometheus", "top");
    assertThat(commands).containsAll(listed);
  }
}
