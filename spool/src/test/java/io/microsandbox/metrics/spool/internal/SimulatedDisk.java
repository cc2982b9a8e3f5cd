package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The spool's filesystem seam for tests, on real files: it can fail writes (a full disk), deny
 * access to chosen paths (a permission as a non-root user meets it), and crash: forget every byte
 * written since its file was last forced, or (torn) a random part of them, as a power loss would.
 *
 * <p>What it models: a file's data is durable up to its length at its last {@code force}; creating,
 * renaming and deleting entries is durable at once (the spool forces data before it renames).
 */
final class SimulatedDisk implements SpoolFileSystem {
  private final SpoolFileSystem real = SpoolFileSystem.real();
  private final Map<Path, Long> durable = new HashMap<>();
  private final List<FileChannel> open = new ArrayList<>();
  private volatile boolean failWrites;
  private volatile Predicate<Path> denied = p -> false;
  private volatile Predicate<Path> readOnly = p -> false;

  /** Makes every write fail with "No space left on device" while {@code fail} is true. */
  void failWrites(boolean fail) {
    this.failWrites = fail;
  }

  /**
   * Makes opening or listing the matching paths fail with "Permission denied", as a non-root user
   * meets a file or directory at mode 0000 (looking at, renaming and deleting it still work).
   */
  void deny(Predicate<Path> paths) {
    this.denied = paths;
  }

  /** Makes opening the matching paths for writing (or creating them) fail: mode 0444, or 0500. */
  void readOnly(Predicate<Path> paths) {
    this.readOnly = paths;
  }

  private void check(Path p) throws IOException {
    if (denied.test(p)) {
      throw new java.nio.file.AccessDeniedException(p.toString());
    }
  }

  private void checkOpen(Path p, OpenOption... options) throws IOException {
    check(p);
    for (OpenOption o : options) {
      if ((o == StandardOpenOption.WRITE
              || o == StandardOpenOption.CREATE
              || o == StandardOpenOption.CREATE_NEW
              || o == StandardOpenOption.APPEND)
          && readOnly.test(p)) {
        throw new java.nio.file.AccessDeniedException(p.toString());
      }
    }
  }

  /**
   * A power loss: closes every channel (releasing the lock) and cuts each file back to what was
   * forced, plus, when {@code torn} is given, a random part of what was not.
   */
  synchronized void crash(Random torn) throws IOException {
    for (FileChannel c : open) {
      c.close();
    }
    open.clear();
    for (Map.Entry<Path, Long> e : new HashMap<>(durable).entrySet()) {
      Path p = e.getKey();
      if (!Files.isRegularFile(p)) {
        durable.remove(p);
        continue;
      }
      long size = Files.size(p);
      long keep = Math.min(e.getValue(), size);
      if (torn != null && size > keep) {
        keep += (long) (torn.nextDouble() * (size - keep + 1));
        keep = Math.min(keep, size);
      }
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(keep);
      }
      durable.put(p, keep);
    }
  }

  @Override
  public Kind kind(Path path) throws IOException {
    return real.kind(path);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    real.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    check(dir);
    return real.list(dir);
  }

  @Override
  public synchronized FileChannel open(Path file, OpenOption... options) throws IOException {
    checkOpen(file, options);
    Path p = file.toAbsolutePath();
    boolean existed = Files.exists(p);
    FileChannel ch = new Tracked(p, real.open(file, options));
    if (!existed
        || java.util.Arrays.asList(options).contains(StandardOpenOption.TRUNCATE_EXISTING)) {
      durable.put(p, 0L);
    } else {
      durable.putIfAbsent(p, Files.size(p));
    }
    open.add(ch);
    return ch;
  }

  @Override
  public synchronized void move(Path from, Path to, boolean replace) throws IOException {
    real.move(from, to, replace);
    Long d = durable.remove(from.toAbsolutePath());
    if (d != null) {
      durable.put(to.toAbsolutePath(), d);
    } else {
      durable.remove(to.toAbsolutePath());
    }
  }

  @Override
  public synchronized void deleteIfExists(Path path) throws IOException {
    real.deleteIfExists(path);
    durable.remove(path.toAbsolutePath());
  }

  @Override
  public void forceDirectory(Path dir) {
    // entries are durable at once in this model
  }

  private synchronized void forced(Path p, long size) {
    durable.put(p, size);
  }

  private synchronized void truncated(Path p, long size) {
    durable.computeIfPresent(p, (k, v) -> Math.min(v, size));
  }

  /** A channel that fails writes on demand and tells the disk what was forced. */
  private final class Tracked extends FileChannel {
    private final Path path;
    private final FileChannel d;

    Tracked(Path path, FileChannel d) {
      this.path = path;
      this.d = d;
    }

    private void writing() throws IOException {
      if (failWrites) {
        throw new IOException("No space left on device");
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return d.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      writing();
      return d.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      writing();
      return d.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      d.truncate(size);
      truncated(path, size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      // the simulation decides what survives a crash; the page cache holds the rest meanwhile
      forced(path, d.size());
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      writing();
      return d.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      writing();
      return d.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }
}
