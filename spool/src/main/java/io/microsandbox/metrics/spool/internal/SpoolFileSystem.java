package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Every way the spool touches the filesystem: opening a file channel, looking at, listing, moving
 * and deleting directory entries. Production code uses {@link #real()}; tests substitute one that
 * fails chosen operations (a full disk, a denied permission as a non-root user sees it) or that
 * forgets what was not forced to disk (a crash, see the model test).
 */
interface SpoolFileSystem {
  /** What a directory entry is, looked at without following a symbolic link. */
  enum Kind {
    /** Nothing by that name. */
    MISSING,
    /** A regular file. */
    FILE,
    /** A directory. */
    DIRECTORY,
    /** Anything else: a symbolic link, a device, a socket, a FIFO. */
    OTHER
  }

  /** The operating system's filesystem. */
  static SpoolFileSystem real() {
    return RealFileSystem.INSTANCE;
  }

  /** What {@code path} is, without following it if it is a symbolic link. */
  Kind kind(Path path) throws IOException;

  /** Creates a directory and its missing parents. */
  void createDirectories(Path dir) throws IOException;

  /** The entries of a directory, in no particular order. */
  List<Path> list(Path dir) throws IOException;

  /** Opens a file; never follows a symbolic link at the last component. */
  FileChannel open(Path file, OpenOption... options) throws IOException;

  /** Renames {@code from} to {@code to} in one step, replacing {@code to} only when asked. */
  void move(Path from, Path to, boolean replace) throws IOException;

  /** Deletes an entry if it exists (a directory only when empty). */
  void deleteIfExists(Path path) throws IOException;

  /** Makes the directory's entries (created, renamed, deleted files) durable. */
  void forceDirectory(Path dir) throws IOException;
}
