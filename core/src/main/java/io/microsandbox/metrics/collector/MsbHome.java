package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.RegistryName;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The microsandbox home a collector reads, and where it came from: the {@code msbHome} setting,
 * {@code $MSB_HOME}, or the default {@code $HOME/.microsandbox} ({@link RegistryName#resolveHome}
 * picks it). Feeds the catalog found through {@link MetadataSourceProvider}.
 */
final class MsbHome {
  private static final Logger logger = LoggerFactory.getLogger(MetricsCollector.class);

  private final String home;
  private final String origin;

  private MsbHome(String home, String origin) {
    this.home = home;
    this.origin = origin;
  }

  /**
   * The home the collector reads, or null when none can be located (neither the setting, {@code
   * $MSB_HOME} nor {@code $HOME} is set: the registry source then reports that itself).
   */
  static @Nullable MsbHome locate(@Nullable String setting, Map<String, String> env) {
    String home;
    try {
      home = RegistryName.resolveHome(setting, env);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String origin;
    if (setting != null && !setting.isEmpty()) {
      origin = "given as argument";
    } else if (env.get("MSB_HOME") != null && !env.get("MSB_HOME").isEmpty()) {
      origin = "from MSB_HOME";
    } else {
      origin = "the default, $HOME/.microsandbox";
    }
    return new MsbHome(home, origin);
  }

  /** The home as a path; empty when this locale cannot hold its characters. */
  Optional<Path> path() {
    try {
      return Optional.of(Path.of(home));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /**
   * Logs once, at start, that the home does not exist: the collector keeps polling and finds the
   * registry once microsandbox creates it.
   */
  void logIfMissing() {
    Optional<Path> p = path();
    if (p.isPresent() && !Files.isDirectory(p.get())) {
      logger.warn(
          "microsandbox home {} ({}) does not exist: no sandboxes are read until microsandbox"
              + " creates it; the collector keeps polling",
          LogSafe.escape(home),
          origin);
    }
  }

  /** The catalog of this home, when a {@link MetadataSourceProvider} is on the class path. */
  @Nullable MetadataSource openCatalog() {
    Optional<Path> p = path();
    if (p.isEmpty()) {
      logger.warn(
          "catalog off (no labels or allocations): the home {} cannot be a file path in this"
              + " locale; run with a UTF-8 locale (LC_ALL=C.UTF-8) for them",
          LogSafe.escape(home));
      return null;
    }
    return ServiceLoader.load(MetadataSourceProvider.class)
        .findFirst()
        .map(provider -> provider.open(p.get()))
        .orElse(null);
  }

  @Override
  public String toString() {
    return home + " (" + origin + ")";
  }
}
