package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msb-metrics top} on a real pseudo-terminal: tmux runs it, {@code capture-pane} reads the
 * screen, {@code send-keys} types. Three views start side by side (a JVM start is the slow part):
 * one quits with q, one with Ctrl-C (both exit 0), one gets SIGTERM; each must leave the terminal
 * as it found it (main screen, canonical mode, echo). Skipped where tmux is not installed.
 */
@Timeout(60)
class TopTmuxTest {
  private static final long WAIT_MS = 30_000; // a JVM start on a loaded 2-core machine

  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path dir;

  private final String socket = "msb-top-test-" + ProcessHandle.current().pid();
  private RegistryWriter writer;
  private ScheduledExecutorService runtimes;

  @BeforeEach
  void tmuxIsInstalled() {
    assumeTrue(
        tmuxWorks(),
        "tmux is not installed: skipping the interactive check of top (apt-get install tmux)");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (runtimes != null) {
      runtimes.shutdownNow();
    }
    if (writer != null) {
      writer.close();
    }
    if (tmuxWorks()) {
      tmux("kill-server");
    }
  }

  @Test
  void showsTheSandboxesQuitsOnQOrCtrlCAndRestoresTheTerminal() throws Exception {
    String home = dir.resolve("home").toString();
    writer = RegistryWriter.create(shm.track(RegistryName.forHome(home)), 4);
    int pid = (int) ProcessHandle.current().pid(); // alive: the slots read active
    List<SlotHandle> slots = new ArrayList<>();
    String[] names = {"tmux-web", "tmux-db"};
    for (int i = 0; i < names.length; i++) {
      SlotHandle slot = writer.reserve(70 + i, names[i], 512L << 20);
      slot.activate(700 + i, pid, System.currentTimeMillis() - 90_000);
      slots.add(slot);
    }
    // the runtimes: a sample every 200 ms, as long as the test runs
    long[] disk = {0};
    runtimes = Executors.newSingleThreadScheduledExecutor();
    runtimes.scheduleAtFixedRate(
        () -> {
          disk[0] += 4096;
          for (SlotHandle slot : slots) {
            slot.writeSample(
                SandboxSnapshot.builder()
                    .sampledAtMs(System.currentTimeMillis())
                    .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
                    .cpuPercent(50f)
                    .raw(SampleField.MEMORY_BYTES, 64L << 20)
                    .raw(SampleField.DISK_READ_BYTES, disk[0])
                    .build());
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);

    String[] sessions = {"quit-q", "quit-ctrl-c", "sigterm"};
    for (String session : sessions) {
      start(session, home);
    }
    for (String session : sessions) {
      String screen = awaitScreen(session, s -> s.contains("tmux-web") && s.contains("tmux-db"));
      assertThat(screen).contains("NAME").contains("STATE").contains("sandboxes 2");
      assertThat(screen).containsPattern("tmux-web +running");
      assertThat(tmux("display-message", "-p", "-t", session, "#{alternate_on}").trim())
          .as("the view runs on the alternate screen")
          .isEqualTo("1");
    }

    // s: the next sort key, at once
    assertThat(awaitScreen("quit-q", s -> s.contains("sort cpu (s)"))).contains("q to quit");
    tmux("send-keys", "-t", "quit-q", "s");
    awaitScreen("quit-q", s -> s.contains("sort mem (s)"));
    // a narrower terminal: redrawn at its width, names truncated rather than rows wrapped
    tmux("resize-window", "-t", "quit-q", "-x", "50", "-y", "20");
    tmux("send-keys", "-t", "quit-q", "s"); // a frame drawn after the resize: sort name
    String narrow = awaitScreen("quit-q", s -> s.contains("sort name (s)"));
    assertThat(narrow.lines()).allMatch(l -> l.length() < 50);
    assertThat(narrow).contains("tmux-web").doesNotContain("UPTIME");
    tmux("send-keys", "-t", "quit-q", "q");
    tmux("send-keys", "-t", "quit-ctrl-c", "C-c");
    terminate(tmux("display-message", "-p", "-t", "sigterm", "#{pane_pid}").trim());
    for (String session : sessions) {
      String after = awaitScreen(session, s -> s.contains("STTY-END"));
      // SIGTERM: the JVM's own exit status (128 + 15), the terminal restored all the same
      String exit = session.equals("sigterm") ? "EXIT=143" : "EXIT=0";
      assertThat(after).as(session).contains(exit);
      assertThat(after).as("main screen back, view gone").doesNotContain("tmux-web");
      String stty = after.substring(after.indexOf(exit));
      assertThat(stty)
          .as("canonical mode and echo restored")
          .containsPattern("(^|\\s)icanon(\\s|$)")
          .containsPattern("(^|\\s)echo(\\s|$)")
          .containsPattern("(^|\\s)isig(\\s|$)");
      assertThat(tmux("display-message", "-p", "-t", session, "#{alternate_on}").trim())
          .isEqualTo("0");
    }
  }

  /** Sends SIGTERM to the JVM the shell with pid {@code shellPid} runs. */
  private static void terminate(String shellPid) throws Exception {
    ProcessHandle shell = ProcessHandle.of(Long.parseLong(shellPid)).orElseThrow();
    ProcessHandle java =
        shell
            .children()
            .filter(p -> p.info().command().orElse("").endsWith("java"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JVM under the pane's shell " + shellPid));
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(java.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
  }

  /** A tmux session running top, then its exit code and the terminal's settings. */
  private void start(String session, String home) throws Exception {
    List<String> java =
        CliProcess.command(List.of("top", "--interval", "200ms", "--msb-home", home));
    StringBuilder script = new StringBuilder();
    for (String arg : java) {
      script.append('\'').append(arg.replace("'", "'\\''")).append("' ");
    }
    script.append("\necho EXIT=$?\nstty -a\necho STTY-END\nexec sleep 120\n");
    Path file = dir.resolve(session + ".sh");
    Files.writeString(file, script.toString());
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "20", "sh " + file);
  }

  private String awaitScreen(String session, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = tmux("capture-pane", "-p", "-t", session);
      if (done.test(screen)) {
        return screen;
      }
      Thread.sleep(100); // polling another process's screen; the deadline bounds it
    }
    throw new AssertionError("screen of " + session + " never got there:\n" + screen);
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TERM", "xterm-256color");
    pb.environment().remove("TMUX");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " hung");
    }
    return out;
  }

  private static boolean tmuxWorks() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
