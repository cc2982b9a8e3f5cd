package io.microsandbox.metrics.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code msb-metrics} as a real child JVM on the test classpath, for what only a process shows:
 * signals, a closed standard output, the raw bytes of its arguments and environment. Standard error
 * goes to a file, read with {@link #stderr()}.
 */
final class CliProcess implements AutoCloseable {
  final Process process;
  private final Path stderr;

  private CliProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /**
   * Starts {@code msb-metrics args...} with {@code env} as its whole environment (plus PATH), its
   * standard output sent to {@code stdout}.
   */
  static CliProcess start(
      Map<String, String> env, ProcessBuilder.Redirect stdout, List<String> args)
      throws IOException {
    return start(env, stdout, command(args), true);
  }

  /** The command line of {@code msb-metrics args...} as a JVM on the test classpath. */
  static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MsbMetrics.class.getName());
    command.addAll(args);
    return command;
  }

  /** Starts {@code command} as given (for a shell in front of the JVM). */
  static CliProcess start(
      Map<String, String> env, ProcessBuilder.Redirect stdout, List<String> command, boolean raw)
      throws IOException {
    Path err = Files.createTempFile("msb-metrics-stderr-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(stdout)
        .redirectError(err.toFile());
    return new CliProcess(pb.start(), err);
  }

  /**
   * Waits (bounded by the calling test's timeout) until the file {@code out} the process writes its
   * standard output to contains {@code text}; fails at once if the process ends first.
   */
  void awaitOutput(Path out, String text) throws IOException, InterruptedException {
    while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError("ended before printing '" + text + "'; stderr:\n" + stderr());
      }
      Thread.sleep(20);
    }
  }

  /** What the process wrote to standard error so far. */
  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** Sends {@code signal} (for example {@code HUP}) with kill(1). */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  /** Waits for the exit; the exit code, or an error when it does not end in {@code seconds}. */
  int waitFor(long seconds) throws InterruptedException, IOException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("still running after " + seconds + " s; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }
}
