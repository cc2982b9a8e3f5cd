package io.microsandbox.metrics.registry.testing;

import io.microsandbox.metrics.registry.writer.RegistryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that hands out unique shared-memory object names and unlinks every one of them
 * after each test, whether it passed or failed.
 *
 * <pre>{@code
 * @RegisterExtension final TempShm shm = new TempShm();
 * ...
 * String name = shm.newName();          // "/msb-test-<uuid>", not created
 * RegistryWriter w = shm.createRegistry(16);
 * }</pre>
 */
public final class TempShm implements AfterEachCallback {
  private final List<String> names = new ArrayList<>();
  private final List<RegistryWriter> writers = new ArrayList<>();

  /** A fresh, unused object name (with leading slash) that is unlinked after the test. */
  public synchronized String newName() {
    String name = "/msb-test-" + UUID.randomUUID();
    names.add(name);
    return name;
  }

  /** Marks an object created under another name (e.g. a hashed home) for unlinking. */
  public synchronized String track(String name) {
    names.add(name);
    return name;
  }

  /**
   * Creates a registry with {@code capacity} slots under a fresh name; closed and unlinked later.
   */
  public synchronized RegistryWriter createRegistry(int capacity) {
    RegistryWriter writer = RegistryWriter.create(newName(), capacity);
    writers.add(writer);
    return writer;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    for (RegistryWriter writer : writers) {
      writer.close();
    }
    writers.clear();
    for (String name : names) {
      RegistryWriter.unlink(name);
    }
    names.clear();
  }
}
