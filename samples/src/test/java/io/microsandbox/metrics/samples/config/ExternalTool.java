package io.microsandbox.metrics.samples.config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A checker installed on the machine ({@code promtool}, {@code systemd-analyze}) that validates a
 * sample more strictly than parsing can. Tests skip that part when the tool is absent.
 */
final class ExternalTool {

  /** What a run printed (stdout and stderr merged) and its exit code. */
  record Result(int exitCode, String output) {}

  private final Path executable;

  private ExternalTool(Path executable) {
    this.executable = executable;
  }

  /** The tool when it is on the PATH. */
  static Optional<ExternalTool> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(new ExternalTool(candidate));
      }
    }
    return Optional.empty();
  }

  /** Runs the tool in {@code dir}, killing it after 30 s. */
  Result run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    // Output goes to a file so that a chatty tool can never block on a full pipe.
    Path log = Files.createTempFile("msb-tool-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(executable + " did not finish within 30 s");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
