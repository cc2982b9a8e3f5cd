package io.microsandbox.metrics.registry.writer;

import static io.microsandbox.metrics.registry.RegistryLayout.*;

import io.microsandbox.metrics.registry.internal.Mapping;
import io.microsandbox.metrics.registry.internal.Posix;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a microsandbox metrics registry the way microsandbox's runtime does: creates the
 * shared-memory object, reserves slots, activates them, writes samples under the seqlock and
 * releases them.
 *
 * <p><b>For tests and simulators; the collector never writes.</b> It follows the registry's
 * protocol ({@link io.microsandbox.metrics.registry.RegistryLayout}: the byte layout, the slot life
 * cycle, the seqlock) exactly so that what a reader sees from it is what it would see from
 * microsandbox.
 *
 * <pre>{@code
 * try (RegistryWriter writer = RegistryWriter.create("/msb-met-...-v3", 16)) {
 *   SlotHandle slot = writer.reserve(33, "devbox", 512L << 20);
 *   slot.activate(101, pid, startedAtMs);
 *   slot.writeSample(SandboxSnapshot.builder().sampledAtMs(now).cpuPercent(12.5f)...build());
 *   slot.release(true);
 * }
 * }</pre>
 *
 * <p>Thread-safe: slot reservation is a compare-and-set on the slot state, so several writers
 * (threads or processes) may share one registry, as microsandbox's runtimes do.
 */
public final class RegistryWriter implements AutoCloseable {
  private static final int OWNER_ONLY = 0600;

  private final String name;
  private final int capacity;
  private final Mapping mapping;
  private final ByteBuffer buf;

  private RegistryWriter(String name, int capacity, Mapping mapping) {
    this.name = name;
    this.capacity = capacity;
    this.mapping = mapping;
    this.buf = mapping.buffer();
  }

  /**
   * Creates a new registry object with {@code capacity} slots, mode 0600, and initialises its
   * header (state uninitialised, initialising, ready, as microsandbox does).
   *
   * @param shmName the object name, with its leading slash ({@code /msb-met-...-v3})
   * @param capacity number of slots, 1 to 2^20
   * @throws IllegalStateException when the object already exists or cannot be created
   */
  public static RegistryWriter create(String shmName, int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
    }
    int fd = Posix.shmOpen(shmName, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, OWNER_ONLY);
    if (fd < 0) {
      throw new IllegalStateException(
          "cannot create shared memory " + shmName + ": errno " + Posix.errno());
    }
    try {
      long size = registrySize(capacity);
      if (Posix.ftruncate(fd, size) != 0) {
        throw new IllegalStateException("ftruncate " + shmName + ": errno " + Posix.errno());
      }
      Mapping mapping = map(shmName, fd, size);
      RegistryWriter writer = new RegistryWriter(shmName, capacity, mapping);
      writer.initHeader();
      return writer;
    } finally {
      Posix.close(fd);
    }
  }

  /**
   * Attaches to an existing, initialised registry (for example one created by another process).
   *
   * @throws IllegalStateException when it does not exist or its header is not a ready v3 header
   */
  public static RegistryWriter open(String shmName) {
    int fd = Posix.shmOpen(shmName, Posix.O_RDWR, 0);
    if (fd < 0) {
      throw new IllegalStateException(
          "cannot open shared memory " + shmName + ": errno " + Posix.errno());
    }
    try {
      Mapping header = map(shmName, fd, HEADER_LEN);
      int capacity;
      try {
        ByteBuffer h = header.buffer();
        if ((long) Mapping.LONG.get(h, H_MAGIC) != MAGIC
            || (int) Mapping.INT.getAcquire(h, H_STATE) != HEADER_READY) {
          throw new IllegalStateException(shmName + " is not a ready v3 metrics registry");
        }
        capacity = (int) Mapping.INT.get(h, H_CAPACITY);
      } finally {
        header.unmap();
      }
      return new RegistryWriter(shmName, capacity, map(shmName, fd, registrySize(capacity)));
    } finally {
      Posix.close(fd);
    }
  }

  /**
   * Removes the object named {@code shmName}; mappings that exist stay valid until unmapped.
   *
   * @return whether an object was removed (false when there was none)
   */
  public static boolean unlink(String shmName) {
    if (Posix.shmUnlink(shmName) == 0) {
      return true;
    }
    int errno = Posix.errno();
    if (errno == Posix.ENOENT) {
      return false;
    }
    throw new IllegalStateException("cannot unlink shared memory " + shmName + ": errno " + errno);
  }

  private static Mapping map(String shmName, int fd, long size) {
    Mapping mapping = Mapping.map(fd, size, true, null);
    if (mapping == null) {
      throw new IllegalStateException("mmap " + shmName + ": errno " + Posix.errno());
    }
    return mapping;
  }

  private void initHeader() {
    if (!Mapping.INT.compareAndSet(buf, H_STATE, HEADER_UNINIT, HEADER_INITIALIZING)) {
      throw new IllegalStateException(name + " is already initialised");
    }
    Mapping.LONG.set(buf, H_MAGIC, MAGIC);
    Mapping.INT.set(buf, H_VERSION, VERSION);
    Mapping.INT.set(buf, H_HEADER_LEN, HEADER_LEN);
    Mapping.INT.set(buf, H_SLOT_LEN, SLOT_LEN);
    Mapping.INT.set(buf, H_CAPACITY, capacity);
    Mapping.LONG.set(buf, H_CREATED_AT_MS, System.currentTimeMillis());
    Mapping.LONG.set(buf, H_GLOBAL_GENERATION, 0L);
    Mapping.INT.setRelease(buf, H_STATE, HEADER_READY);
  }

  /** The object name this writer writes. */
  public String name() {
    return name;
  }

  /** Number of slots. */
  public int capacity() {
    return capacity;
  }

  /**
   * Reserves the lowest free or stale slot for a sandbox: writes its id, name and memory limit,
   * zeroes the rest of the slot and publishes a new generation. The slot is invisible to readers
   * until {@link SlotHandle#activate activated} and sampled.
   *
   * @param name at most 128 bytes of UTF-8
   * @throws IllegalArgumentException when the name is longer than 128 bytes
   * @throws IllegalStateException when every slot is reserved or active
   */
  public SlotHandle reserve(int sandboxId, String name, long memoryLimitBytes) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > NAME_MAX) {
      throw new IllegalArgumentException(
          "sandbox name is too long for metrics slot: "
              + nameBytes.length
              + " bytes (max "
              + NAME_MAX
              + ")");
    }
    for (int i = 0; i < capacity; i++) {
      int base = slotOffset(i);
      int state = (int) Mapping.INT.getVolatile(buf, base + S_STATE);
      if ((state == SLOT_FREE || state == SLOT_STALE)
          && Mapping.INT.compareAndSet(buf, base + S_STATE, state, SLOT_RESERVED)) {
        long seq = beginWrite(base);
        for (int off = S_SANDBOX_ID; off < SLOT_LEN; off += Long.BYTES) {
          Mapping.LONG.set(buf, base + off, 0L);
        }
        Mapping.INT.set(buf, base + S_SANDBOX_ID, sandboxId);
        Mapping.LONG.set(buf, base + S_MEMORY_LIMIT_BYTES, memoryLimitBytes);
        buf.putShort(base + S_NAME_LEN, (short) nameBytes.length);
        buf.put(base + S_NAME, nameBytes);
        long generation = nextGeneration();
        Mapping.LONG.setRelease(buf, base + S_GENERATION, generation);
        endWrite(base, seq);
        return new SlotHandle(this, i, generation);
      }
    }
    throw new IllegalStateException("metrics registry " + this.name + " is full");
  }

  long nextGeneration() {
    return (long) Mapping.LONG.getAndAdd(buf, H_GLOBAL_GENERATION, 1L) + 1;
  }

  ByteBuffer buffer() {
    return buf;
  }

  /**
   * Opens the seqlock for writing: compare-and-set seq from even to odd. Bounded: a seq that stays
   * odd means another writer died mid-write, which a test writer reports rather than waits out.
   *
   * @return the odd seq now stored
   */
  long beginWrite(int base) {
    for (int attempt = 0; attempt < 1_000_000; attempt++) {
      long seq = (long) Mapping.LONG.getVolatile(buf, base + S_SEQ);
      if ((seq & 1) == 0 && Mapping.LONG.compareAndSet(buf, base + S_SEQ, seq, seq + 1)) {
        // the CAS orders the field stores after it; the fence makes that explicit for readers
        VarHandle.storeStoreFence();
        return seq + 1;
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException("slot seq stays odd: another writer died mid-write");
  }

  /** Closes the seqlock: the release store publishes every field written since beginWrite. */
  void endWrite(int base, long oddSeq) {
    Mapping.LONG.setRelease(buf, base + S_SEQ, oddSeq + 1);
  }

  /** Unmaps the registry; the object stays (call {@link #unlink()} to remove it). */
  @Override
  public void close() {
    mapping.unmap();
  }

  /** Removes the object from the system (see {@link #unlink(String)}). */
  public boolean unlink() {
    return unlink(name);
  }
}
