package io.microsandbox.metrics.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Raw access to shared-memory objects through their Linux files in {@code /dev/shm}: to plant exact
 * images (golden files, corrupt headers) and to check that a reader changed no byte. Linux only,
 * like the tests.
 */
public final class ShmFiles {
  private ShmFiles() {}

  /** The file backing object {@code shmName} ("/name" -> /dev/shm/name). */
  public static Path path(String shmName) {
    return Path.of("/dev/shm", shmName.startsWith("/") ? shmName.substring(1) : shmName);
  }

  /** Creates (or replaces) object {@code shmName} with exactly {@code bytes}, mode 0600. */
  public static void write(String shmName, byte[] bytes) {
    Path path = path(shmName);
    try {
      Files.deleteIfExists(path);
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every byte of object {@code shmName}. */
  public static byte[] read(String shmName) {
    try {
      return Files.readAllBytes(path(shmName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Overwrites a little-endian u32 at {@code offset} of object {@code shmName}. */
  public static void pokeInt(String shmName, long offset, int value) {
    poke(shmName, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
  }

  /** Overwrites a little-endian u64 at {@code offset} of object {@code shmName}. */
  public static void pokeLong(String shmName, long offset, long value) {
    poke(shmName, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
  }

  /** Overwrites bytes at {@code offset} of object {@code shmName}. */
  public static void pokeBytes(String shmName, long offset, byte[] bytes) {
    poke(shmName, offset, ByteBuffer.wrap(bytes));
  }

  /** Cuts object {@code shmName} down (or extends it with zeros) to {@code size} bytes. */
  public static void truncate(String shmName, long size) {
    try (FileChannel ch = FileChannel.open(path(shmName), StandardOpenOption.WRITE)) {
      if (size < ch.size()) {
        ch.truncate(size);
      } else if (size > ch.size()) {
        ch.write(ByteBuffer.allocate(1), size - 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void poke(String shmName, long offset, ByteBuffer bytes) {
    try (FileChannel ch = FileChannel.open(path(shmName), StandardOpenOption.WRITE)) {
      ch.write(bytes, offset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
