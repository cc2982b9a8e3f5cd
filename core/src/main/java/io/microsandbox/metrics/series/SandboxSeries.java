package io.microsandbox.metrics.series;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;

/**
 * The per-sandbox series every exporter ships, defined once: OTLP name, unit, description, kind,
 * Prometheus name and how each value comes from a {@link SandboxSnapshot}. The README's metric
 * table lists the same rows. Order = the order in every request and exposition.
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
  /** Configured memory limit. */
  MEMORY_LIMIT(
      "microsandbox.memory.limit",
      "By",
      "Configured guest memory limit",
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
  UPTIME(
      "microsandbox.uptime",
      "s",
      "Time since the sandbox started",
      Kind.DOUBLE_GAUGE,
      null),
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
      SampleField.MEMORY_HOST_RESIDENT_BYTES);

  private static final SandboxSeries[] VALUES = values();

  private final String metricName;
  private final String unit;
  private final String description;
  private final Kind kind;
  private final SampleField field;
  private final String prometheusName;

  SandboxSeries(String metricName, String unit, String description, SampleField field) {
    this(metricName, unit, description, Kind.LONG_GAUGE, field);
  }

  SandboxSeries(
      String metricName, String unit, String description, Kind kind, SampleField field) {
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
   * microsandbox_cpu_time_seconds_total}, {@code microsandbox_cpu_utilization_ratio}.
   */
  public String prometheusName() {
    return prometheusName;
  }

  /**
   * The unit word the Prometheus name ends with ({@code bytes}, {@code seconds}, {@code ratio}),
   * for an OpenMetrics {@code # UNIT} line; empty when the name does not end with its unit (such
   * as {@code microsandbox_disk_bytes_read}), where OpenMetrics allows no unit line.
   */
  public String prometheusUnit() {
    return PrometheusName.declaredUnit(prometheusName, unit, kind == Kind.DOUBLE_COUNTER);
  }

  /** Whether {@code s} yields a point of this series (optional fields only when present). */
  public boolean appliesTo(SandboxSnapshot s) {
    return field == null || s.has(field);
  }

  /**
   * The integer value of a {@link Kind#LONG_GAUGE} series, clamped (see {@link
   * Unsigned}).
   */
  public long longValue(SandboxSnapshot s) {
    return Unsigned.clampToLong(s.raw(field));
  }

  /** The value of a double series. */
  public double doubleValue(SandboxSnapshot s) {
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

  /** The number of points {@code s} contributes to a request. */
  public static int pointsOf(SandboxSnapshot s) {
    int n = 0;
    for (SandboxSeries series : VALUES) {
      if (series.appliesTo(s)) {
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
