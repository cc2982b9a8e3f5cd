package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.RegistryException;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.RegistryScan;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tick of the view: scans the registry, asks the catalog, updates the model.
 *
 * <pre>
 *   RegistryReader.scan --(missing: explained; corrupt: the reader's one-line error)--+
 *   MetadataSource.metadataFor --(failure: nothing known)-----------------------------+--> TopModel
 * </pre>
 *
 * <p>Neither a missing or corrupt registry nor a failing catalog stops the view: the next tick
 * tries again.
 */
public final class TopSource implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TopSource.class);

  private final RegistryReader reader;
  private final MetadataSource catalog;
  private final TopModel model;
  private final boolean includeExited;

  /**
   * Creates a source.
   *
   * @param reader the registry reader (closed with this source)
   * @param catalog labels and allocations, usually the catalog's (closed with this source)
   * @param model the view's model
   * @param includeExited whether exited sandboxes are listed ({@code --all})
   */
  public TopSource(
      RegistryReader reader, MetadataSource catalog, TopModel model, boolean includeExited) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.model = Objects.requireNonNull(model, "model");
    this.includeExited = includeExited;
  }

  /** Reads the registry and the catalog once and returns the frame. */
  public TopFrame tick() {
    RegistryScan scan;
    try {
      scan = reader.scan(includeExited);
    } catch (RegistryException e) {
      return model.failed(reader.name(), e.getMessage());
    }
    Map<Integer, SandboxMetadata> details = Map.of();
    if (!scan.snapshots().isEmpty()) {
      try {
        details = catalog.metadataFor(scan.snapshots());
      } catch (RuntimeException e) {
        // a catalog problem costs the allocation columns, never the view
        logger.debug("catalog lookup failed", e);
      }
    }
    return model.update(reader.name(), scan, details);
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } finally {
      reader.close();
    }
  }
}
