package io.microsandbox.metrics.simulator;

import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import io.microsandbox.metrics.simulator.SimulatedSandbox.Profile;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated microsandbox: a temporary {@code MSB_HOME} with a real shared-memory registry
 * (written through {@link RegistryWriter}, exactly as microsandbox's runtimes write it) and a
 * catalog with labels and allocations, and N sandboxes whose samples change on every {@link #tick}.
 *
 * <pre>
 *   tick(now) ──> scheduled scenes (DemoTimeline)           ──> registry slots / catalog
 *                   stop:    release(stale)                      active -> stale
 *                   restart: reserve + activate, run + 1         fresh generation, counters 0
 *                   kill:    SIGKILL the slot's owner process    stays active, pid dead
 *                   resize:  memory doubled live                 active_config updated; the
 *                                                                slot keeps its boot limit
 *             ──> one sample per running sandbox (seqlock write)
 * </pre>
 *
 * <p>The sandbox the timeline kills is owned by a real child process ({@code sleep}) so that its
 * pid is genuinely dead afterwards, as after a runtime killed with SIGKILL; the others are owned by
 * this JVM. {@link #close()} (idempotent, safe from a shutdown hook) kills that child, unmaps and
 * unlinks the registry and deletes the temporary home. Thread-safe.
 */
public final class DemoRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoRegistry.class);

  /** microsandbox's default registry capacity. */
  private static final int DEFAULT_CAPACITY = 1024;

  private static final String[] NAMES = {
    "devbox", "web", "api", "worker", "build", "notebook", "ci-runner", "docs", "scraper", "etl"
  };
  private static final Profile[] PROFILES = {
    Profile.IDLE_DEVBOX, Profile.WEB, Profile.API, Profile.WORKER, Profile.BUILD
  };

  private enum State {
    RUNNING,
    STOPPED,
    KILLED
  }

  /** One sandbox and the slot its current run writes. */
  private static final class Member {
    final SimulatedSandbox model;
    @Nullable SlotHandle slot; // set by the first run (startAll), replaced by each restart
    State state = State.RUNNING;
    long downSinceMs;
    @Nullable Process owner; // the kill target's stand-in runtime, when one could be started

    Member(SimulatedSandbox model) {
      this.model = model;
    }

    /** The slot of the current (or, while down, the last) run. */
    SlotHandle slot() {
      SlotHandle s = slot;
      if (s == null) {
        throw new IllegalStateException(model.name() + " has not started a run");
      }
      return s;
    }
  }

  private final Path msbHome;
  private final String registryName;
  private final RegistryWriter writer;
  private final DemoTimeline timeline;
  private final long startMs;
  private final long selfPid = ProcessHandle.current().pid();
  private final List<Member> members = new ArrayList<>();

  /** The member the timeline kills, or null when there are too few sandboxes to spare one. */
  private final @Nullable Member killTarget;

  /** The member the timeline resizes: the second sandbox unless that is the kill target. */
  private final Member resizeTarget;

  private int nextRunId = 1;
  private long stopCyclesDone;
  private boolean killDone;
  private boolean resizeDone;
  private boolean closed;

  private DemoRegistry(
      Path msbHome, RegistryWriter writer, DemoTimeline timeline, long startMs, int n) {
    this.msbHome = msbHome;
    this.registryName = writer.name();
    this.writer = writer;
    this.timeline = timeline;
    this.startMs = startMs;
    for (int i = 0; i < n; i++) {
      members.add(new Member(newSandbox(i)));
    }
    this.killTarget = n >= 2 ? members.get(n - 1) : null;
    this.resizeTarget = n >= 3 ? members.get(1) : members.get(0);
  }

  /**
   * Creates the temporary home, its catalog and registry, and starts {@code sandboxes} sandboxes at
   * {@code nowMs}, on the demo's default timeline (a clean exit and restart every minute, one
   * runtime killed after 30 s). On failure everything created so far is removed again.
   *
   * @param sandboxes how many sandboxes, at least 1
   * @param nowMs Unix milliseconds of the start
   * @return the running simulation; close it to remove every trace
   * @throws IOException when the temporary home or the catalog cannot be written
   */
  public static DemoRegistry start(int sandboxes, long nowMs) throws IOException {
    return start(sandboxes, DemoTimeline.DEFAULT, nowMs);
  }

  /** As {@link #start(int, long)}, on the given timeline. */
  static DemoRegistry start(int sandboxes, DemoTimeline timeline, long nowMs) throws IOException {
    if (sandboxes < 1) {
      throw new IllegalArgumentException("--sandboxes must be at least 1: " + sandboxes);
    }
    Path home = Files.createTempDirectory("msb-demo-");
    RegistryWriter writer = null;
    DemoRegistry demo = null;
    try {
      // the collector derives the registry name from the home exactly as microsandbox does
      writer =
          RegistryWriter.create(
              RegistryName.forHome(home.toString()), Math.max(DEFAULT_CAPACITY, sandboxes + 16));
      demo = new DemoRegistry(home, writer, timeline, nowMs, sandboxes);
      DemoCatalog.write(home, demo.members.stream().map(m -> m.model).toList());
      demo.startAll(nowMs);
      return demo;
    } catch (IOException | RuntimeException e) {
      if (demo != null) {
        demo.close();
      } else {
        if (writer != null) {
          writer.close();
          writer.unlink();
        }
        deleteTree(home);
      }
      throw e;
    }
  }

  /** The temporary microsandbox home ({@code --msb-home} for a collector reading this demo). */
  public Path msbHome() {
    return msbHome;
  }

  /** The registry's shared-memory object name. */
  public String registryName() {
    return registryName;
  }

  /** The number of simulated sandboxes (running or not). */
  public int sandboxCount() {
    return members.size();
  }

  private SimulatedSandbox newSandbox(int i) {
    String name = NAMES[i % NAMES.length] + (i < NAMES.length ? "" : "-" + (i / NAMES.length + 1));
    Profile profile = PROFILES[i % PROFILES.length];
    int vcpus =
        switch (profile) {
          case IDLE_DEVBOX, API -> 1;
          case WEB -> 2;
          case WORKER, BUILD -> 4;
        };
    long memoryLimit = (long) vcpus * 512 << 20;
    return new SimulatedSandbox(i + 1, name, profile, vcpus, memoryLimit, 0x5eed + i);
  }

  private void startAll(long nowMs) throws IOException {
    List<DemoEvent> started = new ArrayList<>();
    for (Member m : members) {
      long ownerPid = selfPid;
      if (m == killTarget) {
        m.owner = spawnOwner();
        ownerPid = m.owner == null ? selfPid : m.owner.pid();
      }
      started.add(beginRun(m, ownerPid, nowMs, DemoEvent.Kind.STARTED));
      m.slot().writeSample(m.model.sample(nowMs));
    }
    if (members.size() <= 10) {
      started.forEach(e -> log.info("demo: {}", e.describe()));
    } else {
      log.info("demo: {} sandboxes started in slots 0..{}", members.size(), members.size() - 1);
    }
  }

  /** A stand-in runtime process whose pid owns the slot the timeline kills. */
  private static @Nullable Process spawnOwner() {
    try {
      return new ProcessBuilder("sleep", "86400")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      log.warn(
          "demo: cannot start a stand-in runtime process ({}); the SIGKILL scene is skipped",
          e.getMessage());
      return null;
    }
  }

  /**
   * Advances the simulation to {@code nowMs}: plays the timeline's scenes that are due, then writes
   * one sample for every running sandbox. Does nothing once closed.
   *
   * @return the scenes played, oldest first (also logged at INFO)
   */
  public synchronized List<DemoEvent> tick(long nowMs) {
    if (closed) {
      return List.of();
    }
    List<DemoEvent> events = new ArrayList<>();
    long elapsed = nowMs - startMs;
    playTimeline(elapsed, nowMs, events);
    for (Member m : members) {
      if (m.state == State.RUNNING) {
        m.slot().writeSample(m.model.sample(nowMs));
      }
    }
    events.forEach(e -> log.info("demo: {}", e.describe()));
    return events;
  }

  private void playTimeline(long elapsed, long nowMs, List<DemoEvent> events) {
    long cycleMs = timeline.cycle().toMillis();
    long cycle = elapsed / cycleMs;
    if (elapsed % cycleMs >= timeline.stopAt().toMillis() && stopCyclesDone <= cycle) {
      stopCyclesDone = cycle + 1;
      Member victim = stopVictim(cycle);
      if (victim != null) {
        victim.slot().release(true);
        victim.state = State.STOPPED;
        victim.downSinceMs = nowMs;
        events.add(event(DemoEvent.Kind.STOPPED, victim, victim.slot(), selfPid));
      }
    }
    if (killTarget != null && !killDone && elapsed >= timeline.killAt().toMillis()) {
      killDone = true;
      if (killTarget.state == State.RUNNING && killTarget.owner != null) {
        Process owner = killTarget.owner;
        kill(owner);
        killTarget.state = State.KILLED;
        killTarget.downSinceMs = nowMs;
        events.add(event(DemoEvent.Kind.KILLED, killTarget, killTarget.slot(), owner.pid()));
      }
    }
    if (!resizeDone && elapsed >= timeline.resizeAt().toMillis()) {
      resizeDone = true;
      resize(resizeTarget, events);
    }
    long restartMs = timeline.restartDelay().toMillis();
    for (Member m : members) {
      if (m.state != State.RUNNING && nowMs - m.downSinceMs >= restartMs) {
        // a killed runtime's slot stays active for good (nobody is left to release it), so the
        // restarted sandbox necessarily lands in another slot
        events.add(beginRun(m, selfPid, nowMs, DemoEvent.Kind.RESTARTED));
      }
    }
  }

  /** Doubles {@code m}'s memory live and records it in the catalog, as {@code msb modify} does. */
  private void resize(Member m, List<DemoEvent> events) {
    SimulatedSandbox sb = m.model;
    long before = sb.memoryLimitBytes();
    sb.resizeMemory(sb.maxMemoryLimitBytes());
    try {
      DemoCatalog.resized(msbHome, sb);
    } catch (IOException e) {
      sb.resizeMemory(before);
      log.warn("demo: the live resize of {} is skipped: {}", sb.name(), e.getMessage());
      return;
    }
    events.add(event(DemoEvent.Kind.RESIZED, m, m.slot(), selfPid));
  }

  /** The sandbox that exits in {@code cycle}: round robin over those that may stop. */
  private @Nullable Member stopVictim(long cycle) {
    List<Member> eligible = new ArrayList<>();
    for (Member m : members) {
      if (m != killTarget && m.state == State.RUNNING) {
        eligible.add(m);
      }
    }
    return eligible.isEmpty() ? null : eligible.get((int) (cycle % eligible.size()));
  }

  private DemoEvent beginRun(Member m, long ownerPid, long nowMs, DemoEvent.Kind kind) {
    SimulatedSandbox sb = m.model;
    SlotHandle slot = writer.reserve(sb.sandboxId(), sb.name(), sb.memoryLimitBytes());
    int runId = nextRunId++;
    sb.startRun(runId, nowMs);
    slot.activate(runId, (int) ownerPid, nowMs);
    m.slot = slot;
    m.state = State.RUNNING;
    return event(kind, m, slot, ownerPid);
  }

  private static DemoEvent event(DemoEvent.Kind kind, Member m, SlotHandle slot, long pid) {
    return new DemoEvent(
        kind,
        m.model.name(),
        m.model.sandboxId(),
        slot.slot(),
        slot.generation(),
        m.model.runId(),
        pid,
        m.model.memoryLimitBytes() >> 20);
  }

  private static void kill(Process p) {
    p.destroyForcibly();
    try {
      // reaped, so kill(pid, 0) reports ESRCH from now on
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the simulation and removes every trace of it: kills the stand-in runtime process, unmaps
   * and unlinks the registry, deletes the temporary home. Idempotent; failures are logged, never
   * thrown, so that a shutdown hook always gets through.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Member m : members) {
      if (m.owner != null && m.owner.isAlive()) {
        kill(m.owner);
      }
    }
    try {
      writer.close();
    } catch (RuntimeException e) {
      log.warn("demo: cannot unmap the registry: {}", e.getMessage());
    }
    try {
      RegistryWriter.unlink(registryName);
    } catch (RuntimeException e) {
      log.warn("demo: cannot remove shared memory {}: {}", registryName, e.getMessage());
    }
    deleteTree(msbHome);
  }

  private static void deleteTree(Path root) {
    try {
      if (!Files.exists(root)) {
        return;
      }
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("demo: cannot delete the temporary home {}: {}", root, e.getMessage());
    }
  }
}
