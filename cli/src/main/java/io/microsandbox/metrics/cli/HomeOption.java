package io.microsandbox.metrics.cli;

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
}
