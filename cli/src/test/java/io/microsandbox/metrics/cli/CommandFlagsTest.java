package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** A command offers the flags that mean something to it, and only those. */
class CommandFlagsTest {
  private static final Set<String> EXPORT_FLAGS =
      Set.of("--flush-interval", "--max-buffered", "--export-timeout");
  private static final Set<String> ATTRIBUTE_FLAGS =
      Set.of("--resource", "--emit-run-id", "--emit-pid");

  private static Set<String> flags(String command) {
    Map<String, CommandLine> commands = new CommandLine(new MsbMetrics()).getSubcommands();
    Set<String> names = new TreeSet<>();
    for (OptionSpec o : commands.get(command).getCommandSpec().options()) {
      names.addAll(Set.of(o.names()));
    }
    return names;
  }

  /** The scrape's exporter gets every collection as made: no flush, buffer or timeout to set. */
  @Test
  void prometheusOffersNoFlushBufferOrTimeoutFlags() {
    assertThat(flags("prometheus")).doesNotContainAnyElementsOf(EXPORT_FLAGS);
    String help =
        new CommandLine(new MsbMetrics()).getSubcommands().get("prometheus").getUsageMessage();
    assertThat(help).doesNotContain("--flush-interval", "--max-buffered", "--export-timeout");
    assertThatThrownBy(
            () ->
                new CommandLine(new MsbMetrics())
                    .parseArgs("prometheus", "--listen", ":0", "--flush-interval", "1s"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }

  @Test
  void thePushingCommandsOfferThem() {
    for (String command : new String[] {"otel", "stdout", "demo"}) {
      assertThat(flags(command)).as(command).containsAll(EXPORT_FLAGS);
    }
  }

  /** One declaration (AttributeOptions) behind every command that ships attributes. */
  @Test
  void theAttributeFlagsAreOneMixinOnEveryCommandThatShipsAttributes() {
    for (String command : new String[] {"otel", "demo", "prometheus"}) {
      assertThat(flags(command)).as(command).containsAll(ATTRIBUTE_FLAGS);
      CommandLine cli = new CommandLine(new MsbMetrics()).getSubcommands().get(command);
      for (String flag : ATTRIBUTE_FLAGS) {
        assertThat(cli.getCommandSpec().findOption(flag).userObject())
            .as("%s %s", command, flag)
            .isInstanceOfSatisfying(
                java.lang.reflect.Field.class,
                f -> assertThat(f.getDeclaringClass()).isEqualTo(AttributeOptions.class));
      }
    }
    assertThat(flags("stdout")).doesNotContainAnyElementsOf(ATTRIBUTE_FLAGS);
  }

  @Test
  void topsNoLabelsHelpSaysWhatItDoesThere() {
    String help = new CommandLine(new MsbMetrics()).getSubcommands().get("top").getUsageMessage();
    assertThat(help)
        .doesNotContain("Ship no catalog labels")
        .contains("--filter matches names only");
  }
}
