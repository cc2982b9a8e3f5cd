package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.collector.internal.CollectorEngine;
import io.microsandbox.metrics.collector.internal.ExporterSettings;
import io.microsandbox.metrics.collector.internal.LabelLimits;
import io.microsandbox.metrics.collector.internal.RegistrySource;
import io.microsandbox.metrics.collector.internal.SettingChecks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Reads sandboxes on a fixed interval and ships them to every registered exporter, each through its
 * own bounded buffer, flush cadence and retry backoff.
 *
 * <pre>{@code
 * try (RunningCollector running =
 *     MetricsCollector.builder()
 *         .collectInterval(Duration.ofSeconds(1))
 *         .register(myExporter)
 *         .build()
 *         .start()) {
 *   ...
 * } // close(): final drain, exporter shutdown, bounded wait
 * }</pre>
 *
 * <p>Lifecycle in types: {@link Builder} -> {@code MetricsCollector} (validated, not running) ->
 * {@link RunningCollector}. A collector starts once.
 */
public final class MetricsCollector {
  private static final String VERSION = readVersion();

  /**
   * This library's version, from {@code version.properties} filtered at build time, else the jar's
   * manifest, else {@code unknown}: the OTLP scope version, {@code /status} and {@code --version}
   * all show it.
   */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = MetricsCollector.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // fall through to the manifest
    }
    String v = p.getProperty("version", "");
    if (v.isEmpty() || v.contains("${")) {
      v = MetricsCollector.class.getPackage().getImplementationVersion();
    }
    return v == null || v.isEmpty() ? "unknown" : v;
  }

  /** Default {@link Builder#collectInterval}: 1 s. */
  public static final Duration DEFAULT_COLLECT_INTERVAL = Duration.ofSeconds(1);

  /** Default {@link Builder#flushInterval}: 10 s. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);

  /** Default {@link Builder#maxBuffered}: 60 collections. */
  public static final int DEFAULT_MAX_BUFFERED = 60;

  /** Default {@link Builder#exportTimeout}: 30 s. */
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(30);

  /** Default {@link Builder#maxSampleAge}: 30 s. */
  public static final Duration DEFAULT_MAX_SAMPLE_AGE = Duration.ofSeconds(30);

  /**
   * Default {@link Builder#maxLabels}: 23 labels per sandbox. Mimir's default limit is 30 label
   * names per series; a sandbox point also carries {@code __name__}, {@code job}, {@code instance},
   * {@code sandbox_name}, {@code sandbox_id} and, when enabled, {@code sandbox_run_id} and {@code
   * sandbox_pid}: 23 + 7 = 30.
   */
  public static final int DEFAULT_MAX_LABELS = 23;

  /** Default {@link Builder#maxLabelNameBytes}: 1024 UTF-8 bytes, Mimir's default. */
  public static final int DEFAULT_MAX_LABEL_NAME_BYTES = 1024;

  /** Default {@link Builder#maxLabelValueBytes}: 2048 UTF-8 bytes, Mimir's default. */
  public static final int DEFAULT_MAX_LABEL_VALUE_BYTES = 2048;

  /**
   * The longest interval, timeout or sample age any setting accepts: 365 days. Far beyond any
   * useful value, and far enough from {@code Long.MAX_VALUE} nanoseconds that deadlines computed
   * from the monotonic clock never overflow.
   */
  public static final Duration LONGEST_DURATION = SettingChecks.LONGEST_DURATION;

  private final Duration collectInterval;
  private final Duration flushInterval;
  private final int maxBuffered;
  private final Duration exportTimeout;
  private final Duration maxSampleAge;
  private final LabelLimits.Config labelLimits;
  private final @Nullable SnapshotSource source;
  private final @Nullable String msbHome;
  private final @Nullable String registryName;
  private final @Nullable MetadataSource metadataSource;
  private final boolean attachCatalog;
  private final List<ExporterSettings> exporters;
  private final AtomicBoolean started = new AtomicBoolean();

  private MetricsCollector(Builder b) {
    this.collectInterval = b.collectInterval;
    this.flushInterval = b.flushInterval;
    this.maxBuffered = b.maxBuffered;
    this.exportTimeout = b.exportTimeout;
    this.maxSampleAge = b.maxSampleAge;
    this.labelLimits =
        new LabelLimits.Config(b.maxLabels, b.maxLabelNameBytes, b.maxLabelValueBytes);
    this.source = b.source;
    this.msbHome = b.msbHome;
    this.registryName = b.registryName;
    this.metadataSource = b.metadataSource;
    this.attachCatalog = b.attachCatalog;
    this.exporters = b.resolveExporters();
  }

  /**
   * A builder with the {@code DEFAULT_*} settings above and no exporter. A collector started
   * without exporters only collects: the application reads it through {@link
   * RunningCollector#latest()} (as the Micrometer and OpenTelemetry bridges do).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts collecting and exporting. The default source (the shared-memory registry of the
   * configured home) is opened here; a registry that does not exist yet yields empty collections
   * until it appears.
   *
   * @return the running collector
   * @throws IllegalStateException when this collector was started before, or an exporter has a
   *     spool directory but no spool implementation is on the class path
   * @throws io.microsandbox.metrics.collector.spool.SpoolInUseException when another process holds
   *     an exporter's spool directory (nothing was started)
   */
  public RunningCollector start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "this MetricsCollector was already started; build a new one to start again");
    }
    boolean homeUsed = (source == null && registryName == null) || canAttachCatalog();
    @Nullable MsbHome home = homeUsed ? MsbHome.locate(msbHome, System.getenv()) : null;
    if (home != null) {
      home.logIfMissing();
    }
    SnapshotSource src = source != null ? source : RegistrySource.open(msbHome, registryName);
    @Nullable MetadataSource meta = metadataSource;
    try {
      if (meta == null && canAttachCatalog() && home != null) {
        meta = home.openCatalog();
      }
      return CollectorEngine.start(
          collectInterval, maxSampleAge, src, meta, labelLimits, exporters);
    } catch (RuntimeException e) {
      // nothing started (a spool in use, no spool implementation): release what was opened
      closeQuietly(src, e);
      if (meta != null) {
        closeQuietly(meta, e);
      }
      throw e;
    }
  }

  private boolean canAttachCatalog() {
    return metadataSource == null && attachCatalog;
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException cause) {
    try {
      c.close();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "MetricsCollector{collectInterval="
        + collectInterval
        + ", flushInterval="
        + flushInterval
        + ", maxBuffered="
        + maxBuffered
        + ", exportTimeout="
        + exportTimeout
        + ", maxSampleAge="
        + maxSampleAge
        + ", exporters="
        + exporters.size()
        + '}';
  }

  /** An exporter as registered, its config not yet resolved against the collector's settings. */
  private record Registration(MetricsExporter exporter, ExporterConfig config) {}

  /**
   * Configures a {@link MetricsCollector}. Setters only record values; {@link #build()} checks them
   * all and names the offending setting.
   */
  public static final class Builder {
    private Duration collectInterval = DEFAULT_COLLECT_INTERVAL;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private int maxBuffered = DEFAULT_MAX_BUFFERED;
    private Duration exportTimeout = DEFAULT_EXPORT_TIMEOUT;
    private Duration maxSampleAge = DEFAULT_MAX_SAMPLE_AGE;
    private int maxLabels = DEFAULT_MAX_LABELS;
    private int maxLabelNameBytes = DEFAULT_MAX_LABEL_NAME_BYTES;
    private int maxLabelValueBytes = DEFAULT_MAX_LABEL_VALUE_BYTES;
    private @Nullable SnapshotSource source;
    private @Nullable String msbHome;
    private @Nullable String registryName;
    private @Nullable MetadataSource metadataSource;
    private boolean attachCatalog = true;
    private final List<Registration> registrations = new ArrayList<>();
    private boolean firstExportAtFirstCollection;

    private Builder() {}

    /**
     * Whether each exporter's first export goes as soon as the first collection is buffered,
     * instead of one flush interval after start; the exports after it follow one flush interval
     * apart. For a sidecar that should show data right after it starts (the CLI turns it on).
     * Default off.
     */
    public Builder firstExportAtFirstCollection(boolean on) {
      this.firstExportAtFirstCollection = on;
      return this;
    }

    /** How often the source is read (one collection per tick). Default 1 s. */
    public Builder collectInterval(Duration collectInterval) {
      this.collectInterval = Objects.requireNonNull(collectInterval, "collectInterval");
      return this;
    }

    /**
     * How often each exporter's buffer is flushed, unless its config overrides it. Default 10 s.
     */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = Objects.requireNonNull(flushInterval, "flushInterval");
      return this;
    }

    /**
     * How many collections each exporter buffers before dropping the oldest, unless its config
     * overrides it. Default 60.
     */
    public Builder maxBuffered(int maxBuffered) {
      this.maxBuffered = maxBuffered;
      return this;
    }

    /**
     * How long one export call may take before it counts as a retryable failure, unless the
     * exporter's config overrides it; also bounds {@link RunningCollector#shutdown()}. Default 30
     * s.
     */
    public Builder exportTimeout(Duration exportTimeout) {
      this.exportTimeout = Objects.requireNonNull(exportTimeout, "exportTimeout");
      return this;
    }

    /**
     * Snapshots whose sample is older than this, measured against the collection time, are skipped
     * (a sandbox whose runtime froze). {@link Duration#ZERO} disables the check. Default 30 s.
     */
    public Builder maxSampleAge(Duration maxSampleAge) {
      this.maxSampleAge = Objects.requireNonNull(maxSampleAge, "maxSampleAge");
      return this;
    }

    /**
     * Reads from {@code source} instead of the shared-memory registry. The collector closes it at
     * shutdown.
     */
    public Builder source(SnapshotSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The microsandbox home: the default source reads its registry and the catalog (see {@link
     * #attachCatalog}) its {@code db/msb.db}. Unset means {@code $MSB_HOME}, else {@code
     * ~/.microsandbox}. A home that does not exist is logged once at start (naming it and where it
     * came from); the collector keeps polling until microsandbox creates it.
     */
    public Builder msbHome(Path msbHome) {
      return msbHome(Objects.requireNonNull(msbHome, "msbHome").toString());
    }

    /**
     * {@link #msbHome(Path)} given as the string the registry's name is hashed from: for a home
     * that cannot be a {@link Path} in this JVM's locale (non-ASCII under {@code LC_ALL=C}), whose
     * exact bytes are then read back from the process's arguments or environment.
     */
    public Builder msbHome(String msbHome) {
      Objects.requireNonNull(msbHome, "msbHome");
      if (msbHome.isEmpty()) {
        throw new InvalidSettingException("msbHome", "msb home must not be empty");
      }
      this.msbHome = msbHome;
      return this;
    }

    /**
     * Whether the catalog is attached when no {@link #metadataSource} is set: with the {@code
     * msb-metrics-catalog} module on the class path (found through the {@link
     * java.util.ServiceLoader}, {@link MetadataSourceProvider}), each collection carries the labels
     * and allocation of its sandboxes from the home's catalog. Default {@code true}.
     */
    public Builder attachCatalog(boolean attachCatalog) {
      this.attachCatalog = attachCatalog;
      return this;
    }

    /**
     * The exact shared-memory object name (for example {@code /msb-met-3f1c9a0b5d2e4f68-v3}, see
     * {@code RegistryName}) the default source reads, instead of the one derived from the home.
     * Ignored when a {@link #source} is set.
     */
    public Builder registryName(String registryName) {
      Objects.requireNonNull(registryName, "registryName");
      if (registryName.isEmpty()) {
        throw new InvalidSettingException("registryName", "registry name must not be empty");
      }
      this.registryName = registryName;
      return this;
    }

    /**
     * The most labels (from the {@link #metadataSource}) one sandbox keeps, the first in key order;
     * the rest are dropped, with one WARN per sandbox and label set, and counted ({@code
     * microsandbox.collector.labels.dropped}). Default {@value #DEFAULT_MAX_LABELS}.
     */
    public Builder maxLabels(int maxLabels) {
      this.maxLabels = maxLabels;
      return this;
    }

    /**
     * Labels whose name is longer than this many UTF-8 bytes are dropped (as {@link #maxLabels}).
     * Default {@value #DEFAULT_MAX_LABEL_NAME_BYTES}.
     */
    public Builder maxLabelNameBytes(int maxLabelNameBytes) {
      this.maxLabelNameBytes = maxLabelNameBytes;
      return this;
    }

    /**
     * Labels whose value is longer than this many UTF-8 bytes are dropped (as {@link #maxLabels});
     * dropped rather than cut, so no label carries a value nobody wrote. Default {@value
     * #DEFAULT_MAX_LABEL_VALUE_BYTES}.
     */
    public Builder maxLabelValueBytes(int maxLabelValueBytes) {
      this.maxLabelValueBytes = maxLabelValueBytes;
      return this;
    }

    /**
     * Adds each sandbox's labels and allocation to every collection (for example from the catalog).
     * Closed at shutdown.
     */
    public Builder metadataSource(MetadataSource metadataSource) {
      this.metadataSource = Objects.requireNonNull(metadataSource, "metadataSource");
      return this;
    }

    /** Adds an exporter with the collector's flush interval, buffer cap and export timeout. */
    public Builder register(MetricsExporter exporter) {
      return register(exporter, ExporterConfig.DEFAULTS);
    }

    /**
     * Adds an exporter with its own settings; unset settings use the collector's. Each exporter's
     * {@link MetricsExporter#name()} must be unique among those registered ({@link #build()}
     * refuses a name registered twice).
     */
    public Builder register(MetricsExporter exporter, ExporterConfig config) {
      registrations.add(
          new Registration(
              Objects.requireNonNull(exporter, "exporter"),
              Objects.requireNonNull(config, "config")));
      return this;
    }

    /** Each registration with its settings resolved against the collector's; names unique. */
    private List<ExporterSettings> resolveExporters() {
      Set<String> names = new HashSet<>();
      List<ExporterSettings> out = new ArrayList<>();
      for (Registration r : registrations) {
        String name = r.exporter.name();
        if (name == null || name.isEmpty()) {
          throw new InvalidSettingException(
              "register",
              "an exporter of "
                  + r.exporter.getClass().getName()
                  + " has no name (name() is empty)");
        }
        if (!names.add(name)) {
          throw new InvalidSettingException(
              "register",
              "two exporters are registered under the name '"
                  + LogSafe.escape(name)
                  + "'; each exporter's name must be unique (it names its log lines, its status"
                  + " and its spool directory)");
        }
        ExporterConfig c = r.config;
        out.add(
            new ExporterSettings(
                r.exporter,
                name,
                c.flushInterval().orElse(flushInterval),
                c.maxBuffered().orElse(maxBuffered),
                c.exportTimeout().orElse(exportTimeout),
                collectInterval,
                c.flushOnCollect(),
                firstExportAtFirstCollection,
                c.spool(name),
                c.spoolProvider()));
      }
      return List.copyOf(out);
    }

    /**
     * Checks the settings and builds the collector.
     *
     * @throws InvalidSettingException naming the setting when a duration is zero or negative (the
     *     max sample age may be zero) or longer than {@link #LONGEST_DURATION}, the buffer cap is
     *     below 1, or two exporters are registered under one name
     */
    public MetricsCollector build() {
      SettingChecks.requirePositive(collectInterval, "collectInterval");
      SettingChecks.requirePositive(flushInterval, "flushInterval");
      SettingChecks.requirePositive(maxBuffered, "maxBuffered");
      SettingChecks.requirePositive(exportTimeout, "exportTimeout");
      SettingChecks.requireZeroOrPositive(maxSampleAge, "maxSampleAge", "disabled");
      SettingChecks.requirePositive(maxLabels, "maxLabels");
      SettingChecks.requirePositive(maxLabelNameBytes, "maxLabelNameBytes");
      SettingChecks.requirePositive(maxLabelValueBytes, "maxLabelValueBytes");
      return new MetricsCollector(this);
    }
  }
}
