package io.microsandbox.metrics.registry.internal;

import com.sun.jna.Function;
import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The handful of POSIX calls the registry needs, through JNA: {@code shm_open}, {@code shm_unlink},
 * {@code fstat}, {@code ftruncate}, {@code mmap}, {@code munmap}, {@code close} and {@code kill}.
 *
 * <p>Everything that differs between Linux and macOS (the two platforms microsandbox runs on, both
 * 64-bit little-endian) is in this class and nowhere else:
 *
 * <pre>
 *                      Linux (glibc, musl)          macOS
 *   O_CREAT / O_EXCL   0x40 / 0x80                  0x200 / 0x800
 *   shm_open           libc, librt before glibc 2.34 libSystem (variadic mode argument)
 *   fstat symbol       fstat, __fxstat before 2.33   fstat (arm64), fstat$INODE64 (x86_64)
 *   st_size offset     48                           96
 * </pre>
 *
 * <p>The rest is identical on both: O_RDONLY 0, O_RDWR 2, PROT_READ 1, PROT_WRITE 2, MAP_SHARED 1,
 * errno ENOENT 2, EPERM 1, ESRCH 3, EACCES 13, and {@code st_dev} / {@code st_ino} at offsets 0 / 8
 * of {@code struct stat}.
 */
public final class Posix {
  private Posix() {}

  // open(2) / mmap(2) flags and the errno values this project reacts to (see the table above)
  public static final int O_RDONLY = 0;
  public static final int O_RDWR = 2;
  public static final int O_CREAT = Platform.isMac() ? 0x200 : 0x40;
  public static final int O_EXCL = Platform.isMac() ? 0x800 : 0x80;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;

  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EACCES = 13;

  private static final int STAT_BUFFER_LEN = 256; // larger than struct stat on every platform
  private static final int ST_DEV_OFFSET = 0;
  private static final int ST_INO_OFFSET = 8;
  private static final int ST_SIZE_OFFSET = Platform.isMac() ? 96 : 48;

  /**
   * Calls made while scanning, direct-mapped ({@link Native#register}): an interface-mapped JNA
   * call costs microseconds, which a scan of 1000 sandboxes cannot afford.
   */
  private static final class LibC {
    static {
      Native.register(LibC.class, LIBC_NATIVE);
    }

    static native int close(int fd);

    static native int kill(int pid, int sig);

    static native int ftruncate(int fd, long length);

    static native Pointer mmap(
        @Nullable Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    private LibC() {}
  }

  /**
   * {@code shm_open} without its optional mode, direct-mapped for the per-scan check. The mode is
   * only read with O_CREAT, so passing it as a fixed argument is harmless even where the function
   * is variadic (macOS); creation goes through {@link ShmCreate}.
   */
  private static final class ShmOpen {
    static {
      Native.register(ShmOpen.class, SHM_NATIVE);
    }

    static native int shm_open(String name, int oflag, int ignoredMode);

    static native int shm_unlink(String name);

    private ShmOpen() {}
  }

  /** {@code shm_open} with O_CREAT: declared variadic as on macOS (arm64 passes those apart). */
  interface ShmCreate extends Library {
    /** Loaded on first use: only writers create objects. */
    ShmCreate INSTANCE = Native.load(SHM_LIBRARY, ShmCreate.class);

    int shm_open(String name, int oflag, Object... mode);
  }

  /** {@code fstat} under its platform symbol (see the table above), direct-mapped. */
  private static final class Fstat {
    static {
      Native.register(
          Fstat.class,
          NativeLibrary.getInstance(
              Platform.C_LIBRARY_NAME,
              Map.of(
                  Library.OPTION_FUNCTION_MAPPER,
                  (FunctionMapper) (library, method) -> FSTAT_SYMBOL)));
    }

    static native int fstat(int fd, byte[] buf);

    private Fstat() {}
  }

  private static final NativeLibrary LIBC_NATIVE =
      NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
  private static final String SHM_LIBRARY =
      hasSymbol(LIBC_NATIVE, "shm_open") ? Platform.C_LIBRARY_NAME : "rt";
  private static final NativeLibrary SHM_NATIVE = NativeLibrary.getInstance(SHM_LIBRARY);
  private static final String FSTAT_SYMBOL =
      Platform.isMac() && !Platform.isARM() ? "fstat$INODE64" : "fstat";

  /** glibc before 2.33 has no fstat symbol, only {@code __fxstat(_STAT_VER, fd, buf)}. */
  private static final @Nullable Function LEGACY_FXSTAT =
      hasSymbol(LIBC_NATIVE, FSTAT_SYMBOL) ? null : LIBC_NATIVE.getFunction("__fxstat");

  private static final int LEGACY_STAT_VERSION = Platform.isARM() ? 0 : 1;

  private static boolean hasSymbol(NativeLibrary library, String symbol) {
    try {
      library.getFunction(symbol);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /** {@code shm_open(name, flags, mode)}: a file descriptor, or -1 with {@link #errno()} set. */
  public static int shmOpen(String name, int flags, int mode) {
    if ((flags & O_CREAT) != 0) {
      return ShmCreate.INSTANCE.shm_open(name, flags, mode);
    }
    return ShmOpen.shm_open(name, flags, 0);
  }

  /** {@code shm_unlink(name)}: 0, or -1 with {@link #errno()} set. */
  public static int shmUnlink(String name) {
    return ShmOpen.shm_unlink(name);
  }

  /** {@code close(fd)}, ignoring errors (nothing useful can be done about them). */
  public static void close(int fd) {
    LibC.close(fd);
  }

  /** {@code ftruncate(fd, length)}: 0, or -1 with {@link #errno()} set. */
  public static int ftruncate(int fd, long length) {
    return LibC.ftruncate(fd, length);
  }

  /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, 0)}: the address, or null on failure. */
  public static @Nullable Pointer mmapShared(int fd, long length, int prot) {
    Pointer p = LibC.mmap(null, length, prot, MAP_SHARED, fd, 0);
    return Pointer.nativeValue(p) == -1L ? null : p; // MAP_FAILED
  }

  /** {@code munmap(address, length)}. */
  public static void munmap(Pointer address, long length) {
    LibC.munmap(address, length);
  }

  /**
   * Whether process {@code pid} no longer exists: {@code kill(pid, 0)} failing with ESRCH. EPERM
   * means the process exists but belongs to another user, so it counts as alive.
   */
  public static boolean isProcessGone(int pid) {
    return LibC.kill(pid, 0) != 0 && Native.getLastError() == ESRCH;
  }

  /** The calling thread's errno after the last native call. */
  public static int errno() {
    return Native.getLastError();
  }

  /** The identity and size of an open file, from {@code fstat}. */
  public static final class FileStat {
    /** Device and inode: equal for the same object, different once it was recreated. */
    public final long device;

    /** Inode number. */
    public final long inode;

    /** Size in bytes. */
    public final long size;

    FileStat(long device, long inode, long size) {
      this.device = device;
      this.inode = inode;
      this.size = size;
    }

    /** Whether both describe the same file (same device and inode). */
    public boolean sameFileAs(@Nullable FileStat other) {
      return other != null && device == other.device && inode == other.inode;
    }
  }

  /** {@code fstat(fd)}, or null with {@link #errno()} set. */
  public static @Nullable FileStat fstat(int fd) {
    byte[] buf = new byte[STAT_BUFFER_LEN];
    int rc =
        LEGACY_FXSTAT == null
            ? Fstat.fstat(fd, buf)
            : LEGACY_FXSTAT.invokeInt(new Object[] {LEGACY_STAT_VERSION, fd, buf});
    if (rc != 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    // macOS st_dev is 32 bits wide: the low half is the whole value on both platforms
    return new FileStat(
        b.getInt(ST_DEV_OFFSET) & 0xffffffffL, b.getLong(ST_INO_OFFSET), b.getLong(ST_SIZE_OFFSET));
  }
}
