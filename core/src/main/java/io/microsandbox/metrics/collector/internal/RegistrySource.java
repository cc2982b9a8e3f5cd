package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.RegistryStatus;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.registry.RegistryException;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SnapshotSource}: the shared-memory registry of one microsandbox home, active
 * sandboxes only. A registry that does not exist (yet) reads as no sandboxes; a corrupt or
 * unreadable one throws, which the collector logs and skips.
 */
public final class RegistrySource implements SnapshotSource {
  private final RegistryReader reader;
  // written by the collect thread, read by status()
  private volatile boolean exists;

  private RegistrySource(RegistryReader reader) {
    this.reader = reader;
  }

  /**
   * Opens the registry source; nothing is mapped until the first read.
   *
   * @param msbHome the microsandbox home, or null for {@code $MSB_HOME} / {@code ~/.microsandbox}
   * @param registryName the exact object name, overriding the home; or null
   */
  public static RegistrySource open(@Nullable String msbHome, @Nullable String registryName) {
    String name =
        registryName != null ? registryName : RegistryName.resolve(msbHome, System.getenv());
    return new RegistrySource(RegistryReader.open(Objects.requireNonNull(name)));
  }

  /** The shared-memory object name read. */
  public String registryName() {
    return reader.name();
  }

  @Override
  public List<SandboxSnapshot> read() {
    RegistryScan scan;
    try {
      scan = reader.scan(false);
    } catch (RegistryException e) {
      exists = true; // there, but unreadable
      throw e;
    }
    exists = scan.exists();
    return scan.snapshots();
  }

  @Override
  public Optional<RegistryStatus> registry() {
    return Optional.of(new RegistryStatus(reader.name(), exists));
  }

  @Override
  public long skippedSlots() {
    return reader.skippedSlots();
  }

  @Override
  public void close() {
    reader.close();
  }

  @Override
  public String toString() {
    return "RegistrySource{" + reader.name() + '}';
  }
}
