package io.microsandbox.metrics.catalog;

import io.microsandbox.metrics.catalog.internal.CatalogHealth;
import io.microsandbox.metrics.catalog.internal.CatalogReader;
import io.microsandbox.metrics.catalog.internal.CatalogUnavailableException;
import io.microsandbox.metrics.catalog.internal.CatalogVersion;
import io.microsandbox.metrics.catalog.internal.ConfigParser;
import io.microsandbox.metrics.catalog.internal.ConfigRow;
import io.microsandbox.metrics.catalog.internal.MetadataCache;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels and allocations from microsandbox's SQLite catalog ({@code $MSB_HOME/db/msb.db}): each
 * sandbox's metadata comes from the JSON in its {@code active_config} column (the config it runs
 * with now, after a live resize), or from {@code config} when {@code active_config} is NULL:
 *
 * <ul>
 *   <li>labels: the {@code labels} object (unless {@link Builder#readLabels(boolean)} is off);
 *   <li>{@link Allocation}: {@code resources.cpus}, {@code resources.memory_mib}, {@code
 *       resources.max_cpus}, {@code resources.max_memory_mib}, {@code
 *       runtime.metrics_sample_interval_ms} and {@code runtime.disable_metrics_sample}.
 * </ul>
 *
 * <p>The collector takes it as its {@link MetadataSource}; other consumers (a live view) call
 * {@link #metadataFor} themselves with the sandboxes they just read.
 *
 * <p>Cost per tick when nothing changed: one {@code stat} of the file and one {@code PRAGMA
 * data_version} on a kept read-only connection; the sandbox rows are queried (one bulk query) only
 * when another connection committed to the catalog or a sandbox appeared that the source has not
 * looked up yet. A sandbox's config is parsed again only when its text changed, and its {@link
 * SandboxMetadata} is the same instance for as long as its labels and allocation are unchanged.
 *
 * <p>Never at the cost of metrics; {@link #metadataFor} never throws:
 *
 * <ul>
 *   <li>Catalog missing, table missing, database locked beyond the busy timeout, corrupt: the
 *       sandboxes already read keep the labels and allocation last read (their series stay the same
 *       series, their limits stay put); only sandboxes never read before go out without labels and
 *       with an unknown allocation (the registry's memory limit, no vCPUs) until the catalog is
 *       readable. The Rust msb-metrics strips every sandbox's labels instead, so each outage made
 *       every series switch to unlabelled and back. One WARN per outage, INFO on recovery; the
 *       catalog is retried on every tick, so enrichment starts by itself once it appears, and the
 *       parsed metadata stays cached so recovery re-parses nothing that did not change.
 *   <li>Malformed JSON in a row: that sandbox gets no labels and an unknown allocation; a
 *       non-string label value, an empty key: that label is withheld; a number of the wrong type:
 *       that number is unknown. Other rows and fields are unaffected. One WARN per config text.
 *   <li>A config larger than {@link Builder#maxRowBytes(long)} (default {@value
 *       #DEFAULT_MAX_ROW_BYTES} bytes): never fetched (SQLite measures it); that sandbox gets no
 *       labels and an unknown allocation, with one WARN. A vCPU count or memory size beyond what
 *       the largest machines offer ({@link #MAX_PLAUSIBLE_CPUS}, {@link #MAX_PLAUSIBLE_MEMORY_MIB}
 *       MiB): that number is unknown, with one WARN.
 *   <li>Label keys equal to an identity attribute ({@link #RESERVED_KEYS}) are withheld (with a
 *       WARN) so a label can never impersonate another sandbox's identity.
 * </ul>
 *
 * <p>Thread-safe; called by the collector on its collect thread and closed at shutdown.
 */
public final class CatalogMetadataSource implements MetadataSource {
  /**
   * Identity attribute keys every data point carries or may carry; labels with these keys are
   * withheld.
   */
  public static final Set<String> RESERVED_KEYS =
      Set.of("sandbox.name", "sandbox.id", "sandbox.run_id", "sandbox.pid");

  /** The catalog's location below {@code MSB_HOME}. */
  public static final Path CATALOG_PATH_IN_MSB_HOME = Path.of("db", "msb.db");

  /**
   * Default for {@link Builder#maxRowBytes(long)}: 1 MiB, a thousand times a typical config (a few
   * KiB), far below what would strain the collector's heap.
   */
  public static final long DEFAULT_MAX_ROW_BYTES = 1024L * 1024;

  /** The most vCPUs taken as a sandbox's allocation; beyond it the count is unknown. */
  public static final int MAX_PLAUSIBLE_CPUS = ConfigParser.MAX_PLAUSIBLE_CPUS;

  /** The most guest memory taken as a sandbox's allocation, MiB; beyond it the size is unknown. */
  public static final long MAX_PLAUSIBLE_MEMORY_MIB = ConfigParser.MAX_PLAUSIBLE_MEMORY_MIB;

  /** Default for {@link Builder#busyTimeout(Duration)}. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofMillis(50);

  private static final Logger DEFAULT_LOG = LoggerFactory.getLogger(CatalogMetadataSource.class);

  private final CatalogReader reader;
  private final MetadataCache cache;
  private final CatalogHealth health;
  private final Logger log;
  private final long maxRowBytes;
  private @Nullable CatalogVersion versionRead;
  private boolean closed;

  private CatalogMetadataSource(Builder b) {
    this.log = b.log;
    this.maxRowBytes = b.maxRowBytes;
    this.reader =
        new CatalogReader(
            Objects.requireNonNull(b.catalogPath), (int) b.busyTimeout.toMillis(), b.maxRowBytes);
    this.cache =
        new MetadataCache(new ConfigParser(b.readLabels, b.excludedKeys, RESERVED_KEYS), log);
    this.health = new CatalogHealth(b.catalogPath, log, TimeSource.SYSTEM);
  }

  /** A builder; {@link Builder#msbHome(Path)} or {@link Builder#catalogPath(Path)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The catalog database file this source reads. */
  public Path catalogPath() {
    return reader.file();
  }

  /**
   * The labels and allocations of the sandboxes in {@code snapshots}, read from the catalog when it
   * changed. Sandboxes it does not mention were forgotten: call it with every sandbox of interest
   * each time.
   *
   * @param snapshots the sandboxes of this tick
   * @return metadata by catalog sandbox id for the sandboxes the catalog says anything about (an
   *     immutable map, the same instance while nothing changed); empty while the catalog cannot be
   *     read; never {@code null}
   */
  @Override
  public synchronized Map<Integer, SandboxMetadata> metadataFor(List<SandboxSnapshot> snapshots) {
    if (closed) {
      return Map.of();
    }
    Set<Integer> ids = new HashSet<>(snapshots.size() * 2);
    for (SandboxSnapshot s : snapshots) {
      ids.add(s.sandboxId());
    }
    cache.retainOnly(ids);
    try {
      refresh(ids, snapshots);
      health.succeeded();
    } catch (CatalogUnavailableException e) {
      versionRead = null;
      health.failed(e.getMessage());
    } catch (RuntimeException e) {
      // a bug or an unexpected driver failure must not cost the tick its metrics
      versionRead = null;
      reader.close();
      health.failed(e.toString());
      log.debug("catalog lookup failed", e);
    }
    // every cached sandbox is in this tick (the rest was just evicted), so this is its metadata;
    // while the catalog cannot be read it is the last read, so a known sandbox's series neither
    // switch to unlabelled and back nor lose their limits (a sandbox never read has no entry)
    return cache.metadata();
  }

  /** Closes the catalog connection; later calls return nothing. */
  @Override
  public synchronized void close() {
    closed = true;
    reader.close();
  }

  private void refresh(Set<Integer> ids, List<SandboxSnapshot> snapshots)
      throws CatalogUnavailableException {
    CatalogVersion version = reader.version();
    // unchanged catalog: only sandboxes never looked up need a query (usually none)
    Collection<Integer> toRead = version.equals(versionRead) ? cache.unknown(ids) : ids;
    if (!toRead.isEmpty()) {
      List<Integer> idList = new ArrayList<>(toRead);
      Map<Integer, ConfigRow> configs = reader.configs(idList);
      Map<Integer, String> names = namesById(snapshots);
      for (Integer id : idList) {
        String name = names.getOrDefault(id, ""); // every id is a snapshot's, so it has a name
        ConfigRow row = configs.get(id);
        if (row != null && row.oversized()) {
          cache.skipOversized(id, name, row.oversizeBytes(), maxRowBytes);
        } else {
          cache.update(id, name, row == null ? null : row.json());
        }
      }
    }
    // recorded only after a complete read: a failed tick forces a full read on the next one
    versionRead = version;
  }

  private static Map<Integer, String> namesById(List<SandboxSnapshot> snapshots) {
    Map<Integer, String> names = new HashMap<>(snapshots.size() * 2);
    for (SandboxSnapshot s : snapshots) {
      names.putIfAbsent(s.sandboxId(), s.name());
    }
    return names;
  }

  @Override
  public String toString() {
    return "CatalogMetadataSource{" + reader.file() + '}';
  }

  /** Configures a {@link CatalogMetadataSource}. */
  public static final class Builder {
    private @Nullable Path catalogPath;
    private final Set<String> excludedKeys = new LinkedHashSet<>();
    private boolean readLabels = true;
    private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
    private long maxRowBytes = DEFAULT_MAX_ROW_BYTES;
    private Logger log = DEFAULT_LOG;

    private Builder() {}

    /**
     * Reads the catalog of this microsandbox home, {@code msbHome/db/msb.db}.
     *
     * @param msbHome microsandbox's home directory ({@code MSB_HOME})
     * @return this builder
     */
    public Builder msbHome(Path msbHome) {
      Objects.requireNonNull(msbHome, "msbHome");
      this.catalogPath = msbHome.resolve(CATALOG_PATH_IN_MSB_HOME);
      return this;
    }

    /**
     * Reads the catalog database at this path (an alternative to {@link #msbHome(Path)}).
     *
     * @param catalogPath the SQLite database file
     * @return this builder
     */
    public Builder catalogPath(Path catalogPath) {
      this.catalogPath = Objects.requireNonNull(catalogPath, "catalogPath");
      return this;
    }

    /**
     * Whether labels are read (default true). Off, every sandbox gets no labels while its
     * allocation is still read: the label keys of a fleet can be withheld wholesale without losing
     * the memory and CPU limits.
     *
     * @param readLabels false to withhold every label
     * @return this builder
     */
    public Builder readLabels(boolean readLabels) {
      this.readLabels = readLabels;
      return this;
    }

    /**
     * Withholds labels with this key from every sandbox (repeatable).
     *
     * @param key the exact label key
     * @return this builder
     */
    public Builder excludeLabelKey(String key) {
      excludedKeys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Withholds labels with any of these keys from every sandbox, in addition to keys already
     * excluded.
     *
     * @param keys exact label keys
     * @return this builder
     */
    public Builder excludeLabelKeys(Collection<String> keys) {
      keys.forEach(this::excludeLabelKey);
      return this;
    }

    /**
     * How long a catalog read waits for microsandbox's write lock before the tick goes on without
     * catalog metadata (default 50 ms). It runs on the collect thread, so keep it short.
     *
     * @param busyTimeout between 0 and 1 second
     * @return this builder
     * @throws InvalidSettingException naming {@code busyTimeout} when it is out of range
     */
    public Builder busyTimeout(Duration busyTimeout) {
      if (busyTimeout == null
          || busyTimeout.isNegative()
          || busyTimeout.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new InvalidSettingException(
            "busyTimeout", "busyTimeout must be between 0 and 1s, was " + busyTimeout);
      }
      this.busyTimeout = busyTimeout;
      return this;
    }

    /**
     * The largest sandbox config read, in bytes (default {@value #DEFAULT_MAX_ROW_BYTES}). A larger
     * one is measured inside SQLite and never copied into the JVM; that sandbox gets no labels and
     * an unknown allocation, with one WARN, and every other sandbox is unaffected.
     *
     * @param maxRowBytes at least 1
     * @return this builder
     * @throws InvalidSettingException naming {@code maxRowBytes} when it is not positive
     */
    public Builder maxRowBytes(long maxRowBytes) {
      if (maxRowBytes < 1) {
        throw new InvalidSettingException(
            "maxRowBytes", "maxRowBytes must be positive, was " + maxRowBytes);
      }
      this.maxRowBytes = maxRowBytes;
      return this;
    }

    /** Tests observe the source's warnings through their own logger. */
    Builder logger(Logger log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Creates the source. Nothing is opened yet: the catalog is first read on the first {@link
     * CatalogMetadataSource#metadataFor} call, and need not exist by then.
     *
     * @return a new source
     * @throws InvalidSettingException naming {@code msbHome} when neither the msb home nor the
     *     catalog path was given
     */
    public CatalogMetadataSource build() {
      if (catalogPath == null) {
        throw new InvalidSettingException("msbHome", "msbHome or catalogPath is required");
      }
      return new CatalogMetadataSource(this);
    }
  }
}
