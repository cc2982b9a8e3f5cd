package io.microsandbox.metrics.registry.internal;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The handful of POSIX calls the registry needs, through JNA: {@code shm_open}, {@code
 * shm_unlink}, {@code fstat}, {@code ftruncate}, {@code mmap}, {@code munmap}, {@code close} and
 * {@code kill}.
 *
 * <p>Everything that differs between Linux and macOS (the two platforms microsandbox runs on,
 * both 64-bit little-endian) is in this class and nowhere else:
 *
 * <pre>
 *                      Linux (glibc, musl)          macOS
 *   O_CREAT / O_EXCL   0x40 / 0x80                  0x200 / 0x800
 *   shm_open           libc, librt before glibc 2.34 libSystem (variadic mode argument)
 *   fstat symbol       fstat, __fxstat before 2.33   fstat (arm64), fstat$INODE64 (x86_64)
 *   st_size offset     48                           96
 * </pre>
 *
 * <p>The rest is identical on both: O_RDONLY 0, O_RDWR 2, PROT_READ 1, PROT_WRITE 2, MAP_SHARED
 * 1, errno ENOENT 2, EPERM 1, ESRCH 3, EACCES 13, EEXIST 17, and {@code st_dev} / {@code st_ino}
 * at offsets 0 / 8 of {@code struct stat}.
 */
public final class Posix {
  private Posix() {}

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
  public static final int EEXIST = 17;

  private static final int STAT_BUFFER_LEN = 256; // larger than struct stat on every platform
  private static final int ST_DEV_OFFSET = 0;
  private static final int ST_INO_OFFSET = 8;
  private static final int ST_SIZE_OFFSET = Platform.isMac() ? 96 : 48;

  /** Calls of libc proper. Errors are read with {@link Native#getLastError()}. */
  interface LibC extends Library {
    int close(int fd);

    int ftruncate(int fd, long length);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int kill(int pid, int sig);
  }

  /** POSIX shared memory; in librt on glibc before 2.34. */
  interface ShmLib extends Library {
    /** Declared variadic because it is on macOS (arm64 passes variadic arguments differently). */
    int shm_open(String name, int oflag, Object... mode);

    int shm_unlink(String name);
  }

  private static final NativeLibrary LIBC_NATIVE = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
  private static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
  private static final ShmLib SHM = Native.load(shmLibraryName(), ShmLib.class);
  private static final Function FSTAT = fstatFunction();
  /** {@code _STAT_VER} for the legacy {@code __fxstat} entry point; null when not needed. */
  private static final Integer LEGACY_STAT_VERSION =
      FSTAT.getName().equals("__fxstat") ? (Platform.isARM() ? 0 : 1) : null;

  private static String shmLibraryName() {
    return hasSymbol(LIBC_NATIVE, "shm_open") ? Platform.C_LIBRARY_NAME : "rt";
  }

  private static Function fstatFunction() {
    if (Platform.isMac()) {
      // x86_64 macOS keeps the 32-bit-inode struct under the plain name
      return LIBC_NATIVE.getFunction(Platform.isARM() ? "fstat" : "fstat$INODE64");
    }
    // glibc before 2.33 exports fstat only as an inline wrapper around __fxstat
    return LIBC_NATIVE.getFunction(hasSymbol(LIBC_NATIVE, "fstat") ? "fstat" : "__fxstat");
  }

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
    return SHM.shm_open(name, flags, mode);
  }

  /** {@code shm_unlink(name)}: 0, or -1 with {@link #errno()} set. */
  public static int shmUnlink(String name) {
    return SHM.shm_unlink(name);
  }

  /** {@code close(fd)}, ignoring errors (nothing useful can be done about them). */
  public static void close(int fd) {
    LIBC.close(fd);
  }

  /** {@code ftruncate(fd, length)}: 0, or -1 with {@link #errno()} set. */
  public static int ftruncate(int fd, long length) {
    return LIBC.ftruncate(fd, length);
  }

  /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, 0)}: the address, or null on failure. */
  public static Pointer mmapShared(int fd, long length, int prot) {
    Pointer p = LIBC.mmap(null, length, prot, MAP_SHARED, fd, 0);
    return Pointer.nativeValue(p) == -1L ? null : p; // MAP_FAILED
  }

  /** {@code munmap(address, length)}. */
  public static void munmap(Pointer address, long length) {
    LIBC.munmap(address, length);
  }

  /**
   * Whether process {@code pid} no longer exists: {@code kill(pid, 0)} failing with ESRCH. EPERM
   * means the process exists but belongs to another user, so it counts as alive.
   */
  public static boolean isProcessGone(int pid) {
    return LIBC.kill(pid, 0) != 0 && Native.getLastError() == ESRCH;
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
    public boolean sameFileAs(FileStat other) {
      return other != null && device == other.device && inode == other.inode;
    }
  }

  /** {@code fstat(fd)}, or null with {@link #errno()} set. */
  public static FileStat fstat(int fd) {
    byte[] buf = new byte[STAT_BUFFER_LEN];
    Object[] args =
        LEGACY_STAT_VERSION == null
            ? new Object[] {fd, buf}
            : new Object[] {LEGACY_STAT_VERSION, fd, buf};
    if (FSTAT.invokeInt(args) != 0) {
      return null;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    // macOS st_dev is 32 bits wide: the low half is the whole value on both platforms
    return new FileStat(
        b.getInt(ST_DEV_OFFSET) & 0xffffffffL, b.getLong(ST_INO_OFFSET), b.getLong(ST_SIZE_OFFSET));
  }
}
