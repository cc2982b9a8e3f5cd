package io.microsandbox.metrics.registry.internal;

import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * One {@code mmap} of a shared-memory object, with the {@link VarHandle}s that give Java memory
 * ordering (acquire loads, release stores, compare-and-set) over it.
 *
 * <p>Plain JNA {@code Pointer} reads are not enough for a seqlock: the JIT may reorder or hoist
 * them. A byte-buffer view {@link VarHandle} over the direct buffer of the mapping gives real
 * acquire/release semantics on the shared memory.
 *
 * <p>A read-only mapping ({@code PROT_READ}) is exposed as a read-only buffer as well, so a stray
 * write is a {@link java.nio.ReadOnlyBufferException}, never a store into microsandbox's registry.
 */
public final class Mapping {
  /** Little-endian u64 / i64 access at a byte offset (must be 8-aligned for atomic modes). */
  public static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Little-endian u32 / i32 access at a byte offset (must be 4-aligned for atomic modes). */
  public static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final Pointer address;
  private final long length;
  private final ByteBuffer buffer;
  private final Posix.@Nullable FileStat stat; // null for a writer's own mapping
  private boolean unmapped;

  private Mapping(Pointer address, long length, ByteBuffer buffer, Posix.@Nullable FileStat stat) {
    this.address = address;
    this.length = length;
    this.buffer = buffer;
    this.stat = stat;
  }

  /**
   * Maps {@code length} bytes of {@code fd}, shared. Returns null when {@code mmap} fails (errno in
   * {@link Posix#errno()}). {@code length} must fit a {@link ByteBuffer} (under 2 GiB).
   */
  public static @Nullable Mapping map(
      int fd, long length, boolean writable, Posix.@Nullable FileStat stat) {
    int prot = writable ? Posix.PROT_READ | Posix.PROT_WRITE : Posix.PROT_READ;
    Pointer address = Posix.mmapShared(fd, length, prot);
    if (address == null) {
      return null;
    }
    ByteBuffer buffer = address.getByteBuffer(0, length).order(ByteOrder.LITTLE_ENDIAN);
    return new Mapping(
        address,
        length,
        writable ? buffer : buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN),
        stat);
  }

  /** The mapped bytes (read-only unless mapped writable). Invalid after {@link #unmap()}. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** Length of the mapping in bytes. */
  public long length() {
    return length;
  }

  /**
   * The {@code fstat} of the object when it was mapped (identity and size); null if none was given.
   */
  public Posix.@Nullable FileStat stat() {
    return stat;
  }

  /** Unmaps; idempotent. The caller guarantees no thread still reads {@link #buffer()}. */
  public void unmap() {
    if (!unmapped) {
      unmapped = true;
      Posix.munmap(address, length);
    }
  }
}
