package io.microsandbox.metrics.samples.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The user documentation: the README and docs/*.md, less the benchmark history. */
final class Documentation {
  private Documentation() {}

  /** The README followed by every docs/*.md except benchmarks.md, as one text. */
  static String text(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md"))
          .filter(p -> !p.getFileName().toString().equals("benchmarks.md"))
          .sorted()
          .forEach(files::add);
    }
    StringBuilder text = new StringBuilder();
    for (Path file : files) {
      text.append(Files.readString(file)).append('\n');
    }
    return text.toString();
  }
}
