package io.microsandbox.metrics.samples.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the sample configurations live: {@code samples/config/}. */
final class SampleConfigs {
  private SampleConfigs() {}

  /**
   * The {@code samples/config} directory: under surefire's basedir (the module), else the working
   * directory.
   */
  static Path dir() {
    for (String base : new String[] {System.getProperty("basedir", "."), "."}) {
      Path dir = Path.of(base).resolve("config").toAbsolutePath().normalize();
      if (Files.isDirectory(dir.resolve("grafana"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "samples/config not found from " + Path.of("").toAbsolutePath());
  }

  /** The repository root (the parent of the samples module). */
  static Path repositoryRoot() {
    return dir().getParent().getParent();
  }
}
