package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@link SpoolFileSystem} on {@link Files} and {@link FileChannel}; no symbolic link followed. */
final class RealFileSystem implements SpoolFileSystem {
  static final RealFileSystem INSTANCE = new RealFileSystem();

  private RealFileSystem() {}

  @Override
  public Kind kind(Path path) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Kind.MISSING;
    }
    if (a.isRegularFile()) {
      return Kind.FILE;
    }
    return a.isDirectory() ? Kind.DIRECTORY : Kind.OTHER;
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    }
    return out;
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    // O_NOFOLLOW: a symbolic link planted in the spool directory is never opened through
    OpenOption[] all = Arrays.copyOf(options, options.length + 1);
    all[options.length] = LinkOption.NOFOLLOW_LINKS;
    return FileChannel.open(file, all);
  }

  @Override
  public void move(Path from, Path to, boolean replace) throws IOException {
    if (replace) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.move(from, to, LinkOption.NOFOLLOW_LINKS);
    }
  }

  @Override
  public void deleteIfExists(Path path) throws IOException {
    Files.deleteIfExists(path);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    // Linux allows fsync on a directory opened for reading: it makes new entries durable
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
