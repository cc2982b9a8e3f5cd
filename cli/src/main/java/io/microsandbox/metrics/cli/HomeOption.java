package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.registry.RegistryName;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --msb-home PATH}, declared once for every command that reads a microsandbox home; mix in
 * with {@code @Mixin HomeOption home;}. Unset, the home is {@code $MSB_HOME}, else {@code
 * ~/.microsandbox} (resolved from the exact bytes by {@code RegistryName.resolve}).
 */
final class HomeOption {
  @Option(
      names = "--msb-home",
      paramLabel = "PATH",
      description = "The microsandbox home (default: $MSB_HOME, else ~/.microsandbox).")
  @Nullable String path;

  /**
   * The home these options pick under {@code env} and where it came from, for messages about a
   * registry that is not there: {@code microsandbox home /srv/msb (from MSB_HOME)}. A wrong home is
   * the usual reason, and the registry's hashed name alone does not show which home was used.
   */
  String describe(Map<String, String> env) {
    String source;
    if (path != null && !path.isEmpty()) {
      source = "--msb-home";
    } else if (env.get("MSB_HOME") != null && !env.get("MSB_HOME").isEmpty()) {
      source = "MSB_HOME";
    } else {
      source = "the default, $HOME/.microsandbox; set --msb-home or MSB_HOME";
    }
    String home;
    try {
      home = RegistryName.resolveHome(path, env);
    } catch (IllegalArgumentException e) {
      return "no microsandbox home (" + e.getMessage() + ")";
    }
    return "microsandbox home " + home + " (from " + source + ")";
  }
}
