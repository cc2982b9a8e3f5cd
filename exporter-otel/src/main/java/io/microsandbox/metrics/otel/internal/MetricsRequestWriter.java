package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.AggregationTemporality;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.AnyValue;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.ExportMetricsServiceRequest;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.InstrumentationScope;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.KeyValue;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.Metric;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.NumberDataPoint;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.Resource;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.ResourceMetrics;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.ScopeMetrics;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.Sum;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import io.microsandbox.metrics.series.Unsigned;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one {@code ExportMetricsServiceRequest} from a {@link RequestPlan} into a reused buffer:
 * every length prefix computed from the plan's exact sizes before the bytes are written.
 *
 * <pre>
 *   ExportMetricsServiceRequest { ResourceMetrics { resource (encoded once)
 *     ScopeMetrics { scope (encoded once)
 *       Metric per series with points (SandboxSeries order; header encoded once)
 *         Gauge | Sum { NumberDataPoint per sample: attribute bytes copied, start, time, value }
 *       Metric per CollectorSeries, one point each, in the batch's first request only } } }
 * </pre>
 *
 * <p>A point is its attribute bytes plus {@link #POINT_FIXED_BYTES} (start, time, value, all
 * fixed64), which is what makes the sizes exact.
 */
final class MetricsRequestWriter {
  /** The bytes of a point besides its attributes: start, time and value, each a tag and 8 bytes. */
  static final int POINT_FIXED_BYTES = 27;

  // Sum { aggregation_temporality = CUMULATIVE; is_monotonic = true }
  private static final byte[] CUMULATIVE_MONOTONIC = {
    (byte) ((Sum.AGGREGATION_TEMPORALITY << 3) | ProtoWriter.VARINT),
    (byte) AggregationTemporality.CUMULATIVE,
    (byte) ((Sum.IS_MONOTONIC << 3) | ProtoWriter.VARINT),
    1
  };
  private static final byte[] NO_ATTRIBUTES = new byte[0];
  // a length prefix of a message below 2 GiB
  private static final int MAX_VARINT32 = 5;

  private final SandboxSeries[] series;
  private final CollectorSeries[] collectorSeries = CollectorSeries.all();
  private final long startEpochNanos;
  private final byte[] resourceField;
  private final byte[] scopeField;
  private final byte[][] seriesHeader;
  private final byte[][] collectorHeader;
  private final long framingBytes;
  private final long collectorBytes;
  private final long[] metricLength;
  private final ProtoWriter out;
  private int largestThisFlush;

  /**
   * A writer.
   *
   * @param series the sandbox series, in the order their metrics are written
   * @param resourceAttributes the resource's attributes (sorted by key when encoded)
   * @param startEpochNanos start time of the collector counters
   * @param capacity the buffer's initial size (it grows to the largest request, and shrinks to the
   *     largest of a flush)
   */
  MetricsRequestWriter(
      SandboxSeries[] series,
      Map<String, String> resourceAttributes,
      String scopeName,
      String scopeVersion,
      long startEpochNanos,
      int capacity) {
    this.series = series;
    this.startEpochNanos = startEpochNanos;
    ProtoWriter w = new ProtoWriter(256);
    for (Map.Entry<String, String> e : new TreeMap<>(resourceAttributes).entrySet()) {
      keyValue(w, Resource.ATTRIBUTES, e.getKey(), e.getValue());
    }
    this.resourceField = field(ResourceMetrics.RESOURCE, w.toByteArray());
    w.reset();
    w.stringField(InstrumentationScope.NAME, scopeName);
    w.stringField(InstrumentationScope.VERSION, scopeVersion);
    this.scopeField = field(ScopeMetrics.SCOPE, w.toByteArray());
    this.seriesHeader = new byte[series.length][];
    long framing = lenBound(resourceField.length) + lenBound(scopeField.length);
    for (int k = 0; k < series.length; k++) {
      seriesHeader[k] =
          metricHeader(series[k].metricName(), series[k].description(), series[k].unit());
      framing += lenBound(seriesHeader[k].length + lenBound(CUMULATIVE_MONOTONIC.length));
    }
    this.collectorHeader = new byte[collectorSeries.length][];
    long collector = 0;
    for (int k = 0; k < collectorSeries.length; k++) {
      CollectorSeries c = collectorSeries[k];
      collectorHeader[k] = metricHeader(c.metricName(), c.description(), c.unit());
      collector +=
          lenBound(
              collectorHeader[k].length
                  + lenBound(CUMULATIVE_MONOTONIC.length + lenBound(POINT_FIXED_BYTES)));
    }
    this.framingBytes = framing;
    this.collectorBytes = collector;
    this.metricLength = new long[series.length];
    this.out = new ProtoWriter(capacity);
  }

  /**
   * Ends a flush: the buffer gives back what the flush's largest request did not use, so that it
   * stays as large as the requests it holds (a backlog's full-size requests, then small ones).
   */
  void endFlush() {
    if (largestThisFlush > 0 && out.capacity() > largestThisFlush + (largestThisFlush >> 2)) {
      out.shrinkTo(largestThisFlush);
    }
    largestThisFlush = 0;
  }

  /** An upper bound of a request's bytes besides its points: resource, scope, metric framing. */
  long framingBytes() {
    return framingBytes;
  }

  /** An upper bound of the collector series' bytes (first request only). */
  long collectorBytes() {
    return collectorBytes;
  }

  /** The buffer holding the last request written. */
  ProtoWriter buffer() {
    return out;
  }

  /**
   * Writes {@code plan} as one request, replacing the buffer's content.
   *
   * @param withCollector whether the request also carries the collector series at {@code now}
   * @return the points written
   */
  long write(RequestPlan plan, boolean withCollector, CollectorTelemetry telemetry, long now) {
    long points = plan.points();
    // lengths first, from the plan
    long scopeMetrics = scopeField.length;
    for (int k = 0; k < series.length; k++) {
      if (plan.seriesPoints(k) > 0) {
        metricLength[k] = metricLength(seriesHeader[k], plan.seriesBytes(k), isSum(series[k]));
        scopeMetrics += ProtoWriter.lenFieldSize(metricLength[k]);
      }
    }
    long collectorPoint = ProtoWriter.lenFieldSize(POINT_FIXED_BYTES);
    if (withCollector) {
      for (int k = 0; k < collectorSeries.length; k++) {
        boolean sum = collectorSeries[k].kind() == CollectorSeries.Kind.COUNTER;
        scopeMetrics +=
            ProtoWriter.lenFieldSize(metricLength(collectorHeader[k], collectorPoint, sum));
        points++;
      }
    }
    long resourceMetrics = resourceField.length + ProtoWriter.lenFieldSize(scopeMetrics);
    long expected = ProtoWriter.lenFieldSize(resourceMetrics);
    if (expected > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("OTLP request of " + expected + " bytes planned");
    }
    // the buffer grows to the largest request exactly (a 3 MiB request used to double it to 4 MiB)
    out.resetFor((int) expected);
    largestThisFlush = Math.max(largestThisFlush, (int) expected);
    out.tag(ExportMetricsServiceRequest.RESOURCE_METRICS, ProtoWriter.LEN);
    out.varint(resourceMetrics);
    out.raw(resourceField);
    out.tag(ResourceMetrics.SCOPE_METRICS, ProtoWriter.LEN);
    out.varint(scopeMetrics);
    out.raw(scopeField);
    for (int k = 0; k < series.length; k++) {
      if (plan.seriesPoints(k) > 0) {
        writeSeries(plan, k, metricLength[k]);
      }
    }
    if (withCollector) {
      for (int k = 0; k < collectorSeries.length; k++) {
        writeCollectorSeries(k, collectorPoint, telemetry, now);
      }
    }
    if (out.length() != expected) {
      throw new IllegalStateException(
          "OTLP request of " + out.length() + " bytes, planned " + expected);
    }
    return points;
  }

  private static long metricLength(byte[] header, long pointBytes, boolean sum) {
    long data = pointBytes + (sum ? CUMULATIVE_MONOTONIC.length : 0);
    return header.length + ProtoWriter.lenFieldSize(data);
  }

  private static boolean isSum(SandboxSeries s) {
    return s.kind() == SandboxSeries.Kind.DOUBLE_COUNTER;
  }

  /** The metric's field and its {@code Gauge} / {@code Sum} field, up to the first point. */
  private void metricStart(byte[] header, long metricLength, boolean sum, long pointBytes) {
    out.tag(ScopeMetrics.METRICS, ProtoWriter.LEN);
    out.varint(metricLength);
    out.raw(header);
    out.tag(sum ? Metric.SUM : Metric.GAUGE, ProtoWriter.LEN);
    out.varint(pointBytes + (sum ? CUMULATIVE_MONOTONIC.length : 0));
  }

  private void writeSeries(RequestPlan plan, int k, long metricLength) {
    SandboxSeries ser = series[k];
    boolean sum = isSum(ser);
    metricStart(seriesHeader[k], metricLength, sum, plan.seriesBytes(k));
    for (int i = 0; i < plan.count(); i++) {
      SandboxSnapshot s = plan.sample(i);
      Allocation allocation = plan.allocation(i);
      if (!ser.appliesTo(s, allocation)) {
        continue;
      }
      SandboxAttributes a = plan.attributes(i);
      long time = Unsigned.epochNanos(s.sampledAtMs());
      switch (ser.kind()) {
        case LONG_GAUGE:
          out.numberPoint(
              a.bytes,
              a.pointLength,
              time,
              time,
              NumberDataPoint.AS_INT,
              ser.longValue(s, allocation));
          break;
        case DOUBLE_GAUGE:
          out.numberPoint(
              a.bytes,
              a.pointLength,
              time,
              time,
              NumberDataPoint.AS_DOUBLE,
              Double.doubleToRawLongBits(ser.doubleValue(s, allocation)));
          break;
        case DOUBLE_COUNTER:
        default:
          // a cumulative sum starts when the sandbox started (never after the sample itself)
          long start = Math.min(time, Unsigned.epochNanos(s.startedAtMs()));
          out.numberPoint(
              a.bytes,
              a.pointLength,
              start,
              time,
              NumberDataPoint.AS_DOUBLE,
              Double.doubleToRawLongBits(ser.doubleValue(s, allocation)));
          break;
      }
    }
    if (sum) {
      out.raw(CUMULATIVE_MONOTONIC);
    }
  }

  private void writeCollectorSeries(int k, long pointBytes, CollectorTelemetry t, long now) {
    CollectorSeries c = collectorSeries[k];
    boolean sum = c.kind() == CollectorSeries.Kind.COUNTER;
    metricStart(
        collectorHeader[k], metricLength(collectorHeader[k], pointBytes, sum), sum, pointBytes);
    switch (c.kind()) {
      case COUNTER:
        out.numberPoint(
            NO_ATTRIBUTES,
            POINT_FIXED_BYTES,
            Math.min(startEpochNanos, now),
            now,
            NumberDataPoint.AS_INT,
            c.longValue(t));
        out.raw(CUMULATIVE_MONOTONIC);
        break;
      case LONG_GAUGE:
        out.numberPoint(
            NO_ATTRIBUTES, POINT_FIXED_BYTES, now, now, NumberDataPoint.AS_INT, c.longValue(t));
        break;
      case DOUBLE_GAUGE:
      default:
        out.numberPoint(
            NO_ATTRIBUTES,
            POINT_FIXED_BYTES,
            now,
            now,
            NumberDataPoint.AS_DOUBLE,
            Double.doubleToRawLongBits(c.doubleValue(t)));
        break;
    }
  }

  /** The encoded {@code attributes} fields of a point: one {@code KeyValue} per entry, in order. */
  static byte[] pointAttributes(TreeMap<String, Object> entries) {
    ProtoWriter w = new ProtoWriter(128);
    entries.forEach((k, v) -> keyValue(w, NumberDataPoint.ATTRIBUTES, k, v));
    return w.toByteArray();
  }

  /** Writes a {@code KeyValue} as field {@code field}: a string or an int64 value. */
  static void keyValue(ProtoWriter w, int field, String key, Object value) {
    ProtoWriter kv = new ProtoWriter(64);
    kv.stringField(KeyValue.KEY, key);
    ProtoWriter any = new ProtoWriter(32);
    if (value instanceof String) {
      any.stringField(AnyValue.STRING_VALUE, (String) value);
    } else {
      any.varintField(AnyValue.INT_VALUE, (Long) value);
    }
    kv.bytesField(KeyValue.VALUE, any.toByteArray());
    w.bytesField(field, kv.toByteArray());
  }

  private static byte[] metricHeader(String name, String description, String unit) {
    ProtoWriter w = new ProtoWriter(128);
    w.stringField(Metric.NAME, name);
    if (!description.isEmpty()) {
      w.stringField(Metric.DESCRIPTION, description);
    }
    if (!unit.isEmpty()) {
      w.stringField(Metric.UNIT, unit);
    }
    return w.toByteArray();
  }

  private static byte[] field(int field, byte[] message) {
    ProtoWriter w = new ProtoWriter(message.length + 8);
    w.bytesField(field, message);
    return w.toByteArray();
  }

  /** A length-delimited field of {@code length} content bytes, with the widest length prefix. */
  private static long lenBound(long length) {
    return 1 + MAX_VARINT32 + length;
  }
}
