package io.microsandbox.metrics.series;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The per-sandbox series every exporter ships, defined once: OTLP name, unit, description, kind,
 * Prometheus name and how each value comes from a sandbox's {@link SandboxSnapshot} and its {@link
 * Allocation} (from the catalog; {@link Allocation#UNKNOWN} when there is none). The metric table
 * of docs/metrics.md lists the same rows. Order = the order in every request and exposition.
 *
 * <p>Two series use the allocation: {@link #MEMORY_LIMIT} is the catalog's {@code memory_mib} x 1
 * MiB when known (the registry stamps its limit once, at boot, so it goes stale after a live
 * resize), else the registry's value; {@link #CPU_LIMIT} exists only when the catalog says how many
 * vCPUs the sandbox has.
 *
 * <p>Byte series are integer gauges under the {@link Unsigned} clamp rule; optional registry fields
 * (flag bit clear) produce no point at all rather than a misleading 0.
 *
 * <p>The Prometheus name is what Prometheus, Mimir, Alloy and the OpenTelemetry Collector make of
 * the OTLP name by default (dots to underscores, the unit as a suffix unless the name already says
 * it, {@code _total} for counters, {@code _ratio} for unit-{@code 1} gauges), so a dashboard works
 * whether the data arrived by OTLP or by scrape.
 */
public enum SandboxSeries {
  /** CPU use in vCPUs: {@code cpu_percent / 100}. */
  CPU_UTILIZATION(
      "microsandbox.cpu.utilization",
      "1",
      "CPU use in vCPU-seconds per wall-second (2.0 = two busy vCPUs)",
      Kind.DOUBLE_GAUGE,
      null),
  /** Guest-used memory. */
  MEMORY_USAGE("microsandbox.memory.usage", "By", "Guest memory in use", SampleField.MEMORY_BYTES),
  /** Guest memory limit: the catalog's {@code memory_mib} when known, else the registry's. */
  MEMORY_LIMIT(
      "microsandbox.memory.limit",
      "By",
      "Guest memory presented to the sandbox now",
      SampleField.MEMORY_LIMIT_BYTES),
  /** Cumulative disk reads. */
  DISK_BYTES_READ(
      "microsandbox.disk.bytes_read",
      "By",
      "Bytes read from disk since the sandbox started",
      SampleField.DISK_READ_BYTES),
  /** Cumulative disk writes. */
  DISK_BYTES_WRITTEN(
      "microsandbox.disk.bytes_written",
      "By",
      "Bytes written to disk since the sandbox started",
      SampleField.DISK_WRITE_BYTES),
  /** Cumulative bytes received by the guest. */
  NETWORK_BYTES_RECEIVED(
      "microsandbox.network.bytes_received",
      "By",
      "Bytes received by the guest since the sandbox started",
      SampleField.NET_RX_BYTES),
  /** Cumulative bytes sent by the guest. */
  NETWORK_BYTES_SENT(
      "microsandbox.network.bytes_sent",
      "By",
      "Bytes sent by the guest since the sandbox started",
      SampleField.NET_TX_BYTES),
  /** Writable filesystem: used bytes (optional). */
  UPPER_USED(
      "microsandbox.upper.used",
      "By",
      "Used bytes of the writable filesystem, as the guest sees it",
      SampleField.UPPER_USED_BYTES),
  /** Writable filesystem: free bytes (optional). */
  UPPER_FREE(
      "microsandbox.upper.free",
      "By",
      "Free bytes of the writable filesystem, as the guest sees it",
      SampleField.UPPER_FREE_BYTES),
  /** Writable filesystem: host bytes allocated (optional). */
  UPPER_HOST_ALLOCATED(
      "microsandbox.upper.host_allocated",
      "By",
      "Host bytes allocated for the writable filesystem image",
      SampleField.UPPER_HOST_ALLOCATED_BYTES),
  /** Seconds since the sandbox started. */
  UPTIME("microsandbox.uptime", "s", "Time since the sandbox started", Kind.DOUBLE_GAUGE, null),
  /** Cumulative vCPU time, a monotonic sum starting at the sandbox's start. */
  CPU_TIME(
      "microsandbox.cpu.time",
      "s",
      "vCPU time consumed by the sandbox, all vCPUs",
      Kind.DOUBLE_COUNTER,
      SampleField.VCPU_TIME_NS),
  /** Guest-available memory (optional). */
  MEMORY_AVAILABLE(
      "microsandbox.memory.available",
      "By",
      "Guest memory available for new allocations",
      SampleField.MEMORY_AVAILABLE_BYTES),
  /** Host-resident guest memory (optional). */
  MEMORY_HOST_RESIDENT(
      "microsandbox.memory.host_resident",
      "By",
      "Guest memory resident on the host",
      SampleField.MEMORY_HOST_RESIDENT_BYTES),
  /** vCPUs presented to the sandbox now, from the catalog; absent when unknown. */
  CPU_LIMIT("microsandbox.cpu.limit", "{cpu}", "vCPUs presented to the sandbox now", null);

  private static final SandboxSeries[] VALUES = values();

  private final String metricName;
  private final String unit;
  private final String description;
  private final Kind kind;

  /** The registry field the value comes from; null where it is computed (cpu, uptime, limit). */
  private final @Nullable SampleField field;

  private final String prometheusName;

  SandboxSeries(String metricName, String unit, String description, @Nullable SampleField field) {
    this(metricName, unit, description, Kind.LONG_GAUGE, field);
  }

  SandboxSeries(
      String metricName, String unit, String description, Kind kind, @Nullable SampleField field) {
    this.metricName = metricName;
    this.unit = unit;
    this.description = description;
    this.kind = kind;
    this.field = field;
    this.prometheusName = PrometheusName.of(metricName, unit, kind == Kind.DOUBLE_COUNTER);
  }

  /** Every series, in request order; a shared array callers must not modify. */
  public static SandboxSeries[] all() {
    return VALUES;
  }

  /** The OTLP metric name. */
  public String metricName() {
    return metricName;
  }

  /** The UCUM unit. */
  public String unit() {
    return unit;
  }

  /** The metric description. */
  public String description() {
    return description;
  }

  /** The kind of point. */
  public Kind kind() {
    return kind;
  }

  /**
   * The Prometheus name (see the class comment): {@code microsandbox_memory_usage_bytes}, {@code
   * microsandbox_cpu_time_seconds_total}, {@code microsandbox_cpu_utilization_ratio}, {@code
   * microsandbox_cpu_limit} (a unit in braces is an annotation: no suffix).
   */
  public String prometheusName() {
    return prometheusName;
  }

  /**
   * The unit word the Prometheus name ends with ({@code bytes}, {@code seconds}, {@code ratio}),
   * for an OpenMetrics {@code # UNIT} line; empty when the name does not end with its unit (such as
   * {@code microsandbox_disk_bytes_read}), where OpenMetrics allows no unit line.
   */
  public String prometheusUnit() {
    return PrometheusName.declaredUnit(prometheusName, unit, kind == Kind.DOUBLE_COUNTER);
  }

  /**
   * Whether a sandbox yields a point of this series: optional registry fields only when present,
   * {@link #CPU_LIMIT} only when its vCPUs are known.
   *
   * @param s the sandbox's sample
   * @param allocation the sandbox's allocation ({@link Allocation#UNKNOWN} when none)
   */
  public boolean appliesTo(SandboxSnapshot s, Allocation allocation) {
    if (this == CPU_LIMIT) {
      return allocation.cpus() > 0;
    }
    return field == null || s.has(field);
  }

  /**
   * The value of a {@link Kind#LONG_GAUGE} series, clamped (see {@link Unsigned}). Call only when
   * {@link #appliesTo} holds.
   *
   * @param s the sandbox's sample
   * @param allocation the sandbox's allocation ({@link Allocation#UNKNOWN} when none)
   */
  public long longValue(SandboxSnapshot s, Allocation allocation) {
    switch (this) {
      case MEMORY_LIMIT:
        return memoryLimitBytes(s, allocation);
      case CPU_LIMIT:
        return allocation.cpus();
      default:
        if (kind != Kind.LONG_GAUGE) {
          throw new IllegalStateException(this + " is a floating-point series");
        }
        if (field == null) {
          throw new IllegalStateException(this + " is computed, not read from a registry field");
        }
        return Unsigned.clampToLong(s.raw(field));
    }
  }

  /**
   * The value of a double series. Call only when {@link #appliesTo} holds.
   *
   * @param s the sandbox's sample
   * @param allocation the sandbox's allocation ({@link Allocation#UNKNOWN} when none)
   */
  public double doubleValue(SandboxSnapshot s, Allocation allocation) {
    switch (this) {
      case CPU_UTILIZATION:
        return s.cpuPercent() / 100.0;
      case UPTIME:
        return s.uptimeMs() / 1000.0;
      case CPU_TIME:
        return Unsigned.toDouble(s.raw(SampleField.VCPU_TIME_NS)) / 1e9;
      default:
        throw new IllegalStateException(this + " is an integer series");
    }
  }

  /**
   * The guest memory limit every exporter ships: the catalog's {@code memory_mib} x 1 MiB when
   * known and non-zero, otherwise the registry's {@code memory_limit_bytes} (clamped), as
   * microsandbox's own {@code msb metrics} chooses it.
   *
   * @param s the sandbox's sample
   * @param allocation the sandbox's allocation ({@link Allocation#UNKNOWN} when none)
   */
  public static long memoryLimitBytes(SandboxSnapshot s, Allocation allocation) {
    return allocation
        .memoryLimitBytes()
        .orElseGet(() -> Unsigned.clampToLong(s.raw(SampleField.MEMORY_LIMIT_BYTES)));
  }

  /**
   * The number of points a sandbox contributes to a request.
   *
   * @param s the sandbox's sample
   * @param allocation the sandbox's allocation ({@link Allocation#UNKNOWN} when none)
   */
  public static int pointsOf(SandboxSnapshot s, Allocation allocation) {
    int n = 0;
    for (SandboxSeries series : VALUES) {
      if (series.appliesTo(s, allocation)) {
        n++;
      }
    }
    return n;
  }

  /** How a series' points are typed, in OTLP terms (Prometheus: gauge or counter). */
  public enum Kind {
    /** An integer gauge (OTLP int gauge; Prometheus gauge). */
    LONG_GAUGE,
    /** A floating-point gauge. */
    DOUBLE_GAUGE,
    /**
     * A floating-point monotonic cumulative sum starting at the sandbox's start (OTLP sum;
     * Prometheus counter).
     */
    DOUBLE_COUNTER
  }
}
