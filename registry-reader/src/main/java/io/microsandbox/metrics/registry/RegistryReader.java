package io.microsandbox.metrics.registry;

import io.microsandbox.metrics.registry.internal.Mapping;
import io.microsandbox.metrics.registry.internal.OwnerLiveness;
import io.microsandbox.metrics.registry.internal.Posix;
import io.microsandbox.metrics.registry.internal.RegistryAttacher;
import io.microsandbox.metrics.registry.internal.SlotReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads microsandbox's metrics registry: a read-only, seqlock-coherent view of every sandbox's
 * latest sample.
 *
 * <pre>{@code
 * try (RegistryReader reader = RegistryReader.open(RegistryName.resolve(null, System.getenv()))) {
 *   RegistryScan scan = reader.scan(false);   // poll this every tick
 *   for (SandboxSnapshot s : scan.snapshots()) { ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The mapping is {@code PROT_READ}: the reader never writes a byte of the registry.
 *   <li>A registry that does not exist reads as {@link RegistryScan#exists() exists == false} with
 *       no sandboxes; one that appears later, or is unlinked and recreated (new inode, maybe
 *       another capacity), is picked up by the next scan.
 *   <li>A slot a writer keeps changing, or whose seq stays odd (writer died mid-write), or that
 *       holds a corrupt value is skipped for that scan and counted; the other slots are read.
 *   <li>An active slot whose owner process is gone is reported {@link SlotState#STALE} (and left
 *       out when stale slots are not asked for), without a system call per slot per scan.
 * </ul>
 *
 * <p>Thread-safe; scans are serialised.
 */
public final class RegistryReader implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(RegistryReader.class);
  private static final long SKIP_WARN_INTERVAL_NANOS = 60_000_000_000L;

  private final String name;
  private final RegistryAttacher attacher;
  private final TimeSource time;
  private final long freshWindowMs;
  private final long ownerRecheckNanos;
  private final IntPredicate processGone;

  private @Nullable Mapping mapping;
  private int capacity;
  private @Nullable SlotReader slots;
  private long skippedTotal;
  private int warnedSkipped;
  private long warnedAtNanos;
  private int lastFound; // sizes the next scan's list: no regrowth in the steady state
  private boolean closed;

  private RegistryReader(Builder b) {
    this.name = b.shmName;
    this.attacher = new RegistryAttacher(b.shmName, b.initTimeout.toNanos());
    this.time = b.time;
    this.freshWindowMs = b.freshSampleWindow.toMillis();
    this.ownerRecheckNanos = b.ownerRecheckInterval.toNanos();
    this.processGone = b.processGone;
  }

  /**
   * A reader of the registry named {@code shmName} with default settings. Never fails because the
   * object does not exist: nothing is opened until the first scan.
   *
   * @param shmName the object name with its leading slash, see {@link RegistryName}
   */
  public static RegistryReader open(String shmName) {
    return builder(shmName).build();
  }

  /** A builder for a reader of the registry named {@code shmName}. */
  public static Builder builder(String shmName) {
    return new Builder(shmName);
  }

  /** The shared-memory object name this reader reads. */
  public String name() {
    return name;
  }

  /**
   * Reads every slot once.
   *
   * @param includeStale whether stale sandboxes (released, or whose runtime died) are included
   * @return the scan; {@code exists() == false} when the registry does not exist
   * @throws RegistryException when the registry exists but is corrupt, of another layout, stuck
   *     initialising past the wait, not accessible to this user, or shrank while it was read (a
   *     truncate racing the scan: {@link RegistryException.Problem#TOO_SHORT}, one line)
   * @throws IllegalStateException when the reader is closed
   */
  public synchronized RegistryScan scan(boolean includeStale) {
    if (closed) {
      throw new IllegalStateException("registry reader " + name + " is closed");
    }
    try {
      return scanMapped(includeStale);
    } catch (InternalError e) {
      // SIGBUS: the object was truncated after refreshMapping checked its size, and a read past
      // its new end faulted; the JVM reports that as InternalError. This scan is lost, not the
      // process: map afresh next time. In compiled code the JVM may deliver the error a little
      // later (at the next shm_open, which reports it as a failed open; or after this method
      // returned, which the collector's collect loop counts as a skipped scan as well).
      unmap();
      throw new RegistryException(
          RegistryException.Problem.TOO_SHORT,
          "metrics registry "
              + name
              + ": the object shrank while it was read (SIGBUS); this scan is skipped");
    }
  }

  private RegistryScan scanMapped(boolean includeStale) {
    refreshMapping();
    SlotReader slots = this.slots; // set together with the mapping
    if (mapping == null || slots == null) {
      return RegistryScan.missing();
    }
    long nowMs = time.currentTimeMillis();
    long nowNanos = time.nanoTime();
    List<SandboxSnapshot> found = new ArrayList<>(lastFound + 16);
    int skipped = 0;
    for (int i = 0; i < capacity; i++) {
      SandboxSnapshot snapshot = slots.read(i, includeStale, nowMs, nowNanos);
      if (snapshot != null) {
        found.add(snapshot);
      } else if (slots.lastMiss() == SlotReader.Miss.SKIPPED) {
        skipped++;
        logger.debug("metrics registry {}: slot {} skipped: {}", name, i, slots.lastSkipReason());
      }
    }
    skippedTotal += skipped;
    // a writer that died mid-write is skipped on every scan: warn when more slots are skipped
    // than the last warning said, else at most once a minute
    if (skipped > 0
        && (skipped > warnedSkipped || nowNanos - warnedAtNanos >= SKIP_WARN_INTERVAL_NANOS)) {
      logger.warn(
          "metrics registry {}: {} slot(s) skipped in this scan, {} since start",
          name,
          skipped,
          skippedTotal);
      warnedSkipped = skipped;
      warnedAtNanos = nowNanos;
    }
    lastFound = found.size();
    return RegistryScan.ofOwned(capacity, found, skipped);
  }

  /**
   * The sandboxes of one {@link #scan}, in slot order; empty when the registry does not exist.
   *
   * @throws RegistryException see {@link #scan}
   */
  public List<SandboxSnapshot> snapshot(boolean includeStale) {
    return scan(includeStale).snapshots();
  }

  /** Slots skipped by every scan so far (torn, stuck mid-write or corrupt). */
  public synchronized long skippedSlots() {
    return skippedTotal;
  }

  /** Unmaps the registry. Later scans fail; closing twice is harmless. */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      unmap();
    } catch (InternalError e) {
      // the late report of a fault of an earlier read (SIGBUS of a truncated object), delivered
      // on munmap's return; the mapping is gone all the same
    }
  }

  private void refreshMapping() {
    Mapping next;
    try {
      next = attacher.refresh(mapping);
    } catch (RegistryException e) {
      unmap(); // whatever was mapped is no longer what the name points to
      throw e;
    }
    if (next == mapping) {
      return;
    }
    unmap();
    if (next != null) {
      mapping = next;
      capacity = (next.buffer().capacity() - RegistryLayout.HEADER_LEN) / RegistryLayout.SLOT_LEN;
      slots =
          new SlotReader(
              next.buffer(),
              capacity,
              new OwnerLiveness(capacity, freshWindowMs, ownerRecheckNanos, processGone));
      logger.debug("metrics registry {}: mapped, capacity {}", name, capacity);
    }
  }

  private void unmap() {
    if (mapping != null) {
      mapping.unmap();
      mapping = null;
      slots = null;
      capacity = 0;
    }
  }

  /**
   * Configures a {@link RegistryReader}; every setting has a sensible default. Setters are named
   * after the setting they set (no {@code set} prefix) and reject a bad value at once, naming it.
   */
  public static final class Builder {
    /** Default {@link #initTimeout}: 5 s, as microsandbox's own reader. */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@link #freshSampleWindow}: 5 s (runtimes sample about once a second). */
    public static final Duration DEFAULT_FRESH_SAMPLE_WINDOW = Duration.ofSeconds(5);

    /** Default {@link #ownerRecheckInterval}: 1 s. */
    public static final Duration DEFAULT_OWNER_RECHECK_INTERVAL = Duration.ofSeconds(1);

    private final String shmName;
    private Duration initTimeout = DEFAULT_INIT_TIMEOUT;
    private Duration freshSampleWindow = DEFAULT_FRESH_SAMPLE_WINDOW;
    private Duration ownerRecheckInterval = DEFAULT_OWNER_RECHECK_INTERVAL;
    private TimeSource time = TimeSource.SYSTEM;
    private IntPredicate processGone = Posix::isProcessGone;

    private Builder(String shmName) {
      this.shmName = Objects.requireNonNull(shmName, "shmName");
    }

    /**
     * How long a scan waits for a registry whose header is still uninitialised or initialising
     * before failing (default 5 s, polling every 5 ms, as microsandbox's reader).
     */
    public Builder initTimeout(Duration initTimeout) {
      this.initTimeout = requireNonNegative(initTimeout, "initTimeout");
      return this;
    }

    /**
     * An active slot sampled less than this long ago (by the wall clock) is taken as alive without
     * checking its owner pid (default 5 s; runtimes sample about once a second). {@link
     * Duration#ZERO} checks every owner.
     */
    public Builder freshSampleWindow(Duration freshSampleWindow) {
      this.freshSampleWindow = requireNonNegative(freshSampleWindow, "freshSampleWindow");
      return this;
    }

    /**
     * How long an owner found alive by {@code kill(pid, 0)} is trusted before it is checked again
     * (default 1 s). {@link Duration#ZERO} checks on every scan.
     */
    public Builder ownerRecheckInterval(Duration ownerRecheckInterval) {
      this.ownerRecheckInterval = requireNonNegative(ownerRecheckInterval, "ownerRecheckInterval");
      return this;
    }

    /**
     * The clocks sample ages and owner re-checks are measured with (default {@link
     * TimeSource#SYSTEM}); a simulation or a replay of recorded registries sets its own.
     */
    public Builder timeSource(TimeSource timeSource) {
      this.time = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    // A test hook, so not public: how a dead owner is detected (default: kill(pid, 0) fails with
    // ESRCH). Tests in this package (the reader's tests) fake dead and live owners.
    Builder processGoneCheck(IntPredicate processGone) {
      this.processGone = Objects.requireNonNull(processGone, "processGone");
      return this;
    }

    /** Builds the reader; nothing is opened until the first scan. */
    public RegistryReader build() {
      return new RegistryReader(this);
    }

    private static Duration requireNonNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
