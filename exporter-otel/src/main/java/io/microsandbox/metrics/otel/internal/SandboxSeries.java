package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.sdk.metrics.data.MetricDataType;

/**
 * The per-sandbox series of the spec's table: name, unit, description, point type and how each
 * value comes from a {@link SandboxSnapshot}. Order = the order in every request.
 *
 * <p>Byte series are integer gauges under the {@link Unsigned} clamp rule; optional registry fields
 * (flag bit clear) produce no point at all rather than a misleading 0.
 */
public enum SandboxSeries {
  /** CPU use in vCPUs: {@code cpu_percent / 100}. */
  CPU_UTILIZATION(
      "microsandbox.cpu.utilization",
      "1",
      "CPU use in vCPU-seconds per wall-second (2.0 = two busy vCPUs)",
      MetricDataType.DOUBLE_GAUGE,
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
      MetricDataType.DOUBLE_GAUGE,
      null),
  /** Cumulative vCPU time, a monotonic sum starting at the sandbox's start. */
  CPU_TIME(
      "microsandbox.cpu.time",
      "s",
      "vCPU time consumed by the sandbox, all vCPUs",
      MetricDataType.DOUBLE_SUM,
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
  private final MetricDataType type;
  private final SampleField field;

  SandboxSeries(String metricName, String unit, String description, SampleField field) {
    this(metricName, unit, description, MetricDataType.LONG_GAUGE, field);
  }

  SandboxSeries(
      String metricName, String unit, String description, MetricDataType type, SampleField field) {
    this.metricName = metricName;
    this.unit = unit;
    this.description = description;
    this.type = type;
    this.field = field;
  }

  /** Every series, in request order; a shared array callers must not modify. */
  static SandboxSeries[] all() {
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

  /** The OTLP point type. */
  public MetricDataType type() {
    return type;
  }

  /** Whether {@code s} yields a point of this series (optional fields only when present). */
  public boolean appliesTo(SandboxSnapshot s) {
    return field == null || s.has(field);
  }

  /**
   * The integer value of a {@link MetricDataType#LONG_GAUGE} series, clamped (see {@link
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
}
