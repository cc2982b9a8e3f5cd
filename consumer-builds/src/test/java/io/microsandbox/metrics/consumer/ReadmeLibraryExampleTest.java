package io.microsandbox.metrics.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's library example is the consumer build's code: every fenced block after a {@code <!--
 * library-example: PATH -->} marker (README.md, docs/*.md) equals the lines between {@code //
 * library-example:start} and {@code // library-example:end} of PATH, indentation removed. The
 * consumer build compiles and runs that code against the installed artifacts, so the snippet cannot
 * drift from a working program.
 */
class ReadmeLibraryExampleTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern MARKED_BLOCK =
      Pattern.compile(
          "<!-- library-example: ([^#\\s]+)(?:#(\\S+))? -->\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern MARKER = Pattern.compile("// [a-z-]+:(start|end)");

  @Test
  void theReadmeShowsTheConsumerBuildsCode() throws IOException {
    List<Path> documents = documents();
    int blocks = 0;
    for (Path document : documents) {
      Matcher m = MARKED_BLOCK.matcher(Files.readString(document));
      while (m.find()) {
        blocks++;
        Path source = ROOT.resolve(m.group(1));
        String region = m.group(2) == null ? "library-example" : m.group(2);
        assertThat(m.group(3))
            .as("the snippet in %s must equal the code marked %s in %s", document, region, source)
            .isEqualTo(markedCode(source, region));
      }
    }
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(MARKED_BLOCK.matcher(readme).find())
        .as("README.md has a library example marked <!-- library-example: PATH -->")
        .isTrue();
    assertThat(blocks).isPositive();
  }

  @Test
  void theMarkedCodeIsFoundWithoutItsIndentation() throws IOException {
    Path source = Files.createTempFile("Example", ".java");
    try {
      Files.writeString(
          source,
          "class A {\n  void a() {\n    // library-example:start\n    int x = 1;\n      x++;\n"
              + "    // library-example:end\n  }\n}\n");
      assertThat(markedCode(source, "library-example")).isEqualTo("int x = 1;\n  x++;\n");
    } finally {
      Files.delete(source);
    }
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      documents.addAll(
          docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
    }
    return documents;
  }

  /**
   * The lines between {@code // REGION:start} and {@code // REGION:end}, less the indentation of
   * the start marker and less the markers of other regions inside it.
   */
  static String markedCode(Path source, String region) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.equals("// " + region + ":start")) {
        start = i;
      } else if (line.equals("// " + region + ":end")) {
        end = i;
      }
    }
    assertThat(start).as("%s has // library-example:start", source).isNotNegative();
    assertThat(end)
        .as("%s has // library-example:end after the start", source)
        .isGreaterThan(start);
    String startLine = lines.get(start);
    int indent = startLine.length() - startLine.stripLeading().length();
    StringBuilder code = new StringBuilder();
    for (String line : lines.subList(start + 1, end)) {
      if (MARKER.matcher(line.strip()).matches()) {
        continue;
      }
      code.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    // the formatter keeps a blank line between a method and the end marker
    while (code.length() > 1 && code.substring(code.length() - 2).equals("\n\n")) {
      code.setLength(code.length() - 1);
    }
    return code.toString();
  }
}
