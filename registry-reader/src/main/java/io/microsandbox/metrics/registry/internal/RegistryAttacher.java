package io.microsandbox.metrics.registry.internal;

import static io.microsandbox.metrics.registry.RegistryLayout.*;

import io.microsandbox.metrics.registry.RegistryException;
import io.microsandbox.metrics.registry.RegistryException.Problem;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Opens the registry object read-only, waits (bounded) for its header to be ready, validates the
 * header and maps the whole registry.
 *
 * <pre>
 *   shm_open(O_RDONLY) --ENOENT--> missing (not an error)
 *        |        '----EACCES--> "run as the same Unix user as microsandbox"
 *      fstat --same device+inode, not shrunk, as the current mapping--> keep it
 *        |
 *   map header, wait while state is uninit/initializing (bounded), validate
 *        |
 *   map 256 + capacity * 512 bytes, PROT_READ
 * </pre>
 */
public final class RegistryAttacher {
  private static final long POLL_MILLIS = 5; // the upstream reader's polling period

  private final String name;
  private final long initTimeoutNanos;

  /**
   * @param name the object name
   * @param initTimeoutNanos how long a header may stay uninitialised or initialising
   */
  public RegistryAttacher(String name, long initTimeoutNanos) {
    this.name = name;
    this.initTimeoutNanos = initTimeoutNanos;
  }

  /**
   * Returns the mapping to read from: {@code current} when the object is still the one it maps, a
   * new mapping when the object was created or recreated since, or null when the object does not
   * exist. Never unmaps {@code current}; the caller does when the result differs.
   *
   * @throws RegistryException when the object exists but cannot be used
   */
  public @Nullable Mapping refresh(@Nullable Mapping current) {
    int fd;
    try {
      fd = Posix.shmOpen(name, Posix.O_RDONLY, 0);
    } catch (NullPointerException | InternalError e) {
      // seen right after a SIGBUS of a truncated mapping: the fault surfaces in the next native
      // call; report it as the failed open it is, in one line
      throw error(Problem.OS_ERROR, "shm_open failed (" + e.getClass().getSimpleName() + ")");
    }
    if (fd < 0) {
      int errno = Posix.errno();
      if (errno == Posix.ENOENT) {
        return null;
      }
      throw openError(errno);
    }
    try {
      Posix.FileStat stat = fstat(fd);
      // same object and not shrunk (reading past a shrunk object's end would be SIGBUS)
      if (current != null && stat.sameFileAs(current.stat()) && stat.size >= current.length()) {
        return current;
      }
      return attach(fd, stat);
    } finally {
      Posix.close(fd);
    }
  }

  /** The exception for a failed {@code shm_open} of an existing object with {@code errno}. */
  RegistryException openError(int errno) {
    if (errno == Posix.EACCES || errno == Posix.EPERM) {
      return new RegistryException(
          Problem.PERMISSION_DENIED,
          "metrics registry "
              + name
              + ": permission denied (EACCES): run as the same Unix user as microsandbox"
              + " (msb-metrics must run as the same Unix user as msb)");
    }
    return error(Problem.OS_ERROR, "shm_open failed with errno " + errno);
  }

  private Posix.FileStat fstat(int fd) {
    Posix.FileStat stat = Posix.fstat(fd);
    if (stat == null) {
      throw error(Problem.OS_ERROR, "fstat failed with errno " + Posix.errno());
    }
    return stat;
  }

  private Mapping attach(int fd, Posix.FileStat stat) {
    int capacity = awaitReadyHeader(fd, stat);
    long size = registrySize(capacity);
    // a writer creating the object may still be growing it: the size seen after the wait counts
    Posix.FileStat now = fstat(fd);
    if (now.size < size) {
      throw error(
          Problem.TOO_SHORT,
          "object is "
              + now.size
              + " bytes, shorter than 256 + capacity "
              + capacity
              + " * 512 = "
              + size);
    }
    return map(fd, size, now);
  }

  /** Waits while the header is uninitialised or initialising, validates it, returns capacity. */
  private int awaitReadyHeader(int fd, Posix.FileStat stat) {
    long deadline = System.nanoTime() + initTimeoutNanos;
    for (; ; ) {
      if (stat.size > 0 && stat.size < HEADER_LEN) {
        throw error(
            Problem.TOO_SHORT,
            "object is " + stat.size + " bytes, shorter than the " + HEADER_LEN + "-byte header");
      }
      int state = HEADER_UNINIT; // size 0: created but not yet sized, the writer is mid-create
      if (stat.size >= HEADER_LEN) {
        Mapping header = map(fd, HEADER_LEN, stat);
        try {
          ByteBuffer h = header.buffer();
          state = (int) Mapping.INT.getAcquire(h, H_STATE);
          if (state != HEADER_UNINIT && state != HEADER_INITIALIZING) {
            return validate(h, state);
          }
        } finally {
          header.unmap();
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw error(
            Problem.INIT_TIMEOUT,
            "header still "
                + (state == HEADER_UNINIT ? "uninitialised" : "initializing")
                + " after "
                + initTimeoutNanos / 1_000_000
                + " ms");
      }
      sleepPoll();
      stat = fstat(fd);
    }
  }

  private int validate(ByteBuffer h, int state) {
    long magic = (long) Mapping.LONG.get(h, H_MAGIC);
    if (magic != MAGIC) {
      throw error(
          Problem.BAD_MAGIC,
          "bad magic 0x" + Long.toHexString(magic) + " (expected 0x313054454d42534d, MSBMET01)");
    }
    int version = (int) Mapping.INT.get(h, H_VERSION);
    if (version != VERSION) {
      throw error(
          Problem.BAD_VERSION,
          "unsupported layout version " + Integer.toUnsignedString(version) + " (expected 3)");
    }
    int headerLen = (int) Mapping.INT.get(h, H_HEADER_LEN);
    if (headerLen != HEADER_LEN) {
      throw error(
          Problem.BAD_HEADER_LEN,
          "bad header_len " + Integer.toUnsignedString(headerLen) + " (expected 256)");
    }
    int slotLen = (int) Mapping.INT.get(h, H_SLOT_LEN);
    if (slotLen != SLOT_LEN) {
      throw error(
          Problem.BAD_SLOT_LEN,
          "bad slot_len " + Integer.toUnsignedString(slotLen) + " (expected 512)");
    }
    if (state != HEADER_READY) {
      throw error(
          Problem.UNKNOWN_STATE,
          "unknown header state " + Integer.toUnsignedString(state) + " (expected 0, 1 or 2)");
    }
    int capacity = (int) Mapping.INT.get(h, H_CAPACITY);
    if (capacity == 0 || Integer.compareUnsigned(capacity, MAX_CAPACITY) > 0) {
      throw error(
          Problem.BAD_CAPACITY,
          "bad capacity "
              + Integer.toUnsignedString(capacity)
              + " (expected 1 to "
              + MAX_CAPACITY
              + ")");
    }
    return capacity;
  }

  private Mapping map(int fd, long length, Posix.FileStat stat) {
    Mapping mapping = Mapping.map(fd, length, false, stat);
    if (mapping == null) {
      throw error(Problem.OS_ERROR, "mmap failed with errno " + Posix.errno());
    }
    return mapping;
  }

  private static void sleepPoll() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Problem.INIT_TIMEOUT, "interrupted while waiting for the header");
    }
  }

  private RegistryException error(Problem problem, String detail) {
    return new RegistryException(problem, "metrics registry " + name + ": " + detail);
  }
}
