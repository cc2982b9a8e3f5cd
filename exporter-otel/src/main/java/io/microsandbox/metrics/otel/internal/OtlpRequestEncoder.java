package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import io.microsandbox.metrics.series.Unsigned;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch as OTLP {@code ExportMetricsServiceRequest} protobuf bytes, request by request,
 * straight from the buffered samples: no per-point objects, no object tree, one reused buffer.
 *
 * <pre>
 *   per sample: its attribute bytes (kept per sandbox) --&gt; exact bytes of its points
 *   plan a request: samples in order while they fit the size limit
 *   write it:  ResourceMetrics { resource (encoded once)
 *                ScopeMetrics { scope (encoded once)
 *                  Metric per series (SandboxSeries order, then CollectorSeries in request 0)
 *                    NumberDataPoint per sample: attribute bytes copied, start, time, value } }
 *   --&gt; RequestSink (sends it; false stops the batch)
 * </pre>
 *
 * <p>Sizes are exact: a point is its attribute bytes plus 27 bytes (start, time, value, all
 * fixed64), so the planner knows each sample's bytes before anything is written and each length
 * prefix is computed, not measured.
 *
 * <p>A request never exceeds the size limit. Requests are filled in sample order and split between
 * samples; each tells how many leading collections are complete once it is accepted, so that a
 * batch cut short by a failure returns only the rest to the buffer (a collection split across the
 * failed boundary goes back whole). A single sample that cannot fit even alone (huge labels) is
 * sent with its largest labels dropped until it fits, counted and logged once per sandbox and label
 * set; if even its identity attributes cannot fit it is dropped and counted.
 *
 * <p>Attributes: the sandbox's labels, then {@code sandbox.name}, {@code sandbox.id} and the opt-in
 * {@code sandbox.run_id} / {@code sandbox.pid}, which win over a label of the same key; labels with
 * an empty key are skipped; sorted by key. Each sandbox's encoded attributes are kept while its
 * identity and labels are unchanged and forgotten after a flush that did not use them.
 *
 * <p>Not thread-safe: one flush at a time.
 */
public final class OtlpRequestEncoder {
  private static final Logger logger = LoggerFactory.getLogger(OtlpRequestEncoder.class);

  /** Attribute: the sandbox name. */
  public static final String SANDBOX_NAME = "sandbox.name";

  /** Attribute: the catalog sandbox id. */
  public static final String SANDBOX_ID = "sandbox.id";

  /** Attribute (opt-in): the catalog run id. */
  public static final String SANDBOX_RUN_ID = "sandbox.run_id";

  /** Attribute (opt-in): the runtime's host pid. */
  public static final String SANDBOX_PID = "sandbox.pid";

  // NumberDataPoint: start (2), time (3), value (4 or 6), each a tag and 8 bytes
  private static final int POINT_FIXED_BYTES = 27;
  private static final int AS_DOUBLE = 4;
  private static final int AS_INT = 6;
  // Sum: aggregation_temporality = CUMULATIVE (2), is_monotonic = true (3)
  private static final byte[] CUMULATIVE_MONOTONIC = {0x10, 0x02, 0x18, 0x01};
  private static final byte[] NO_ATTRIBUTES = new byte[0];
  // a length prefix of a message below 2 GiB
  private static final int MAX_VARINT32 = 5;

  private final SandboxSeries[] series = SandboxSeries.all();
  private final CollectorSeries[] telemetrySeries = CollectorSeries.all();
  private final byte[] resourceField;
  private final byte[] scopeField;
  private final byte[][] seriesHeader;
  private final byte[][] telemetryHeader;
  private final boolean emitRunId;
  private final boolean emitPid;
  private final long maxRequestBytes;
  private final long startEpochNanos;
  // room for resource, scope and every metric's framing; plus the collector series in request 0
  private final long framingBytes;
  private final long telemetryBytes;

  private final ProtoWriter out;
  // the planned request: samples and their attributes, per-series point bytes and counts
  private SandboxSnapshot[] planned = new SandboxSnapshot[256];
  private SandboxAttributes[] plannedAttributes = new SandboxAttributes[256];
  private Allocation[] plannedAllocations = new Allocation[256];
  private int plannedCount;
  private long plannedBytes;
  private long plannedPoints;
  private final long[] seriesBytes;
  private final int[] seriesPoints;

  private Map<AttributesKey, SandboxAttributes> attributesThisFlush = new HashMap<>();
  private Map<AttributesKey, SandboxAttributes> attributesLastFlush = new HashMap<>();
  private final AttributesKey probe = new AttributesKey();
  private long samplesTrimmed;
  private long samplesDropped;

  /**
   * Creates an encoder.
   *
   * @param resourceAttributes the resource's attributes (sorted by key when encoded)
   * @param scopeName the instrumentation scope's name
   * @param scopeVersion the instrumentation scope's version
   * @param emitRunId whether points carry {@code sandbox.run_id}
   * @param emitPid whether points carry {@code sandbox.pid}
   * @param maxRequestBytes the most protobuf bytes of one request
   * @param startEpochNanos start time of the collector counters (when the exporter was created)
   */
  public OtlpRequestEncoder(
      Map<String, String> resourceAttributes,
      String scopeName,
      String scopeVersion,
      boolean emitRunId,
      boolean emitPid,
      long maxRequestBytes,
      long startEpochNanos) {
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
    this.maxRequestBytes = maxRequestBytes;
    this.startEpochNanos = startEpochNanos;
    ProtoWriter w = new ProtoWriter(256);
    for (Map.Entry<String, String> e : new TreeMap<>(resourceAttributes).entrySet()) {
      keyValue(w, 1, e.getKey(), e.getValue());
    }
    this.resourceField = field(1, w.toByteArray());
    w.reset();
    w.stringField(1, scopeName);
    w.stringField(2, scopeVersion);
    this.scopeField = field(1, w.toByteArray());
    this.seriesHeader = new byte[series.length][];
    long framing = lenBound(resourceField.length) + lenBound(scopeField.length);
    for (int k = 0; k < series.length; k++) {
      seriesHeader[k] =
          metricHeader(series[k].metricName(), series[k].description(), series[k].unit());
      framing += lenBound(seriesHeader[k].length + lenBound(CUMULATIVE_MONOTONIC.length));
    }
    this.telemetryHeader = new byte[telemetrySeries.length][];
    long collector = 0;
    for (int k = 0; k < telemetrySeries.length; k++) {
      CollectorSeries c = telemetrySeries[k];
      telemetryHeader[k] = metricHeader(c.metricName(), c.description(), c.unit());
      collector +=
          lenBound(
              telemetryHeader[k].length
                  + lenBound(CUMULATIVE_MONOTONIC.length + lenBound(POINT_FIXED_BYTES)));
    }
    this.framingBytes = framing;
    this.telemetryBytes = collector;
    if (framing + collector >= maxRequestBytes) {
      throw new IllegalArgumentException(
          "maxRequestBytes " + maxRequestBytes + " leaves no room for data points");
    }
    this.seriesBytes = new long[series.length];
    this.seriesPoints = new int[series.length];
    this.out = new ProtoWriter((int) Math.min(maxRequestBytes, 1 << 20));
  }

  /** One encoded request, valid only during {@link RequestSink#send}. */
  public final class Request {
    private int index;
    private long points;
    private int completedCollections;

    private Request() {}

    /** 0 for the first request of the batch (the one carrying the collector series). */
    public int index() {
      return index;
    }

    /** Data points in the request. */
    public long points() {
      return points;
    }

    /**
     * How many leading collections of the batch are complete once this request and every earlier
     * one were accepted.
     */
    public int completedCollections() {
      return completedCollections;
    }

    /** The protobuf bytes. */
    public int length() {
      return out.length();
    }

    /** The backing array, valid up to {@link #length()}. */
    public byte[] array() {
      return out.array();
    }

    /** Writes the protobuf bytes to {@code o}. */
    public void writeTo(OutputStream o) throws IOException {
      out.writeTo(o);
    }

    /** A copy of the protobuf bytes. */
    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Receives a flush's requests, in order. */
  @FunctionalInterface
  public interface RequestSink {
    /**
     * Sends (or keeps) {@code request}.
     *
     * @return whether to go on with the next request
     */
    boolean send(Request request) throws InterruptedException;
  }

  /**
   * Encodes {@code batch}, oldest samples first, handing each request to {@code sink} as soon as it
   * is written; the first request also carries the collector series at {@code nowEpochNanos}. There
   * is always at least one request. Ends the flush for the attribute cache.
   *
   * @return whether every request was handed over and {@code sink} accepted each
   */
  public boolean encode(ExportBatch batch, long nowEpochNanos, RequestSink sink)
      throws InterruptedException {
    try {
      return encodeRequests(batch, nowEpochNanos, sink);
    } finally {
      endFlush();
    }
  }

  private boolean encodeRequests(ExportBatch batch, long now, RequestSink sink)
      throws InterruptedException {
    Request request = new Request();
    CollectorTelemetry telemetry = batch.telemetry();
    clearPlan();
    List<SnapshotCollection> collections = batch.collections();
    for (int c = 0; c < collections.size(); c++) {
      SnapshotCollection collection = collections.get(c);
      for (SandboxSnapshot s : collection.snapshots()) {
        SandboxAttributes a = attributesOf(s, collection.labels(s));
        Allocation allocation = collection.allocation(s);
        long bytes = (long) SandboxSeries.pointsOf(s, allocation) * a.pointBytes;
        if (plannedBytes + bytes > room(request.index) && plannedCount > 0) {
          // collections before this one are complete; this one continues in the next request
          if (!emit(request, c, telemetry, now, sink)) {
            return false;
          }
        }
        if (bytes > room(request.index)) {
          a = trimmed(s, allocation, a);
          if (a == null) {
            continue;
          }
        }
        plan(s, a, allocation);
      }
    }
    if (plannedCount > 0 || request.index == 0) {
      return emit(request, collections.size(), telemetry, now, sink);
    }
    return true;
  }

  /** Bytes left for points in request {@code index}. */
  private long room(int index) {
    return maxRequestBytes - framingBytes - (index == 0 ? telemetryBytes : 0);
  }

  private void plan(SandboxSnapshot s, SandboxAttributes a, Allocation allocation) {
    if (plannedCount == planned.length) {
      planned = Arrays.copyOf(planned, plannedCount * 2);
      plannedAttributes = Arrays.copyOf(plannedAttributes, plannedCount * 2);
      plannedAllocations = Arrays.copyOf(plannedAllocations, plannedCount * 2);
    }
    planned[plannedCount] = s;
    plannedAllocations[plannedCount] = allocation;
    plannedAttributes[plannedCount++] = a;
    for (int k = 0; k < series.length; k++) {
      if (series[k].appliesTo(s, allocation)) {
        seriesBytes[k] += a.pointBytes;
        seriesPoints[k]++;
        plannedBytes += a.pointBytes;
        plannedPoints++;
      }
    }
  }

  private void clearPlan() {
    Arrays.fill(planned, 0, plannedCount, null);
    Arrays.fill(plannedAttributes, 0, plannedCount, null);
    Arrays.fill(plannedAllocations, 0, plannedCount, null);
    plannedCount = 0;
    plannedBytes = 0;
    plannedPoints = 0;
    Arrays.fill(seriesBytes, 0);
    Arrays.fill(seriesPoints, 0);
  }

  /** Writes the planned request, hands it over, and starts the next plan. */
  private boolean emit(
      Request request, int completedCollections, CollectorTelemetry t, long now, RequestSink sink)
      throws InterruptedException {
    boolean withCollector = request.index == 0;
    long points = plannedPoints;
    out.reset();
    // lengths first, from the plan
    long scopeMetrics = scopeField.length;
    long[] metricLength = new long[series.length];
    for (int k = 0; k < series.length; k++) {
      if (seriesPoints[k] > 0) {
        metricLength[k] = metricLength(seriesHeader[k], seriesBytes[k], isSum(series[k]));
        scopeMetrics += ProtoWriter.lenFieldSize(metricLength[k]);
      }
    }
    long telemetryPoint = ProtoWriter.lenFieldSize(POINT_FIXED_BYTES);
    if (withCollector) {
      for (int k = 0; k < telemetrySeries.length; k++) {
        boolean sum = telemetrySeries[k].kind() == CollectorSeries.Kind.COUNTER;
        scopeMetrics +=
            ProtoWriter.lenFieldSize(metricLength(telemetryHeader[k], telemetryPoint, sum));
        points++;
      }
    }
    long resourceMetrics = resourceField.length + ProtoWriter.lenFieldSize(scopeMetrics);
    out.tag(1, ProtoWriter.LEN);
    out.varint(resourceMetrics);
    out.raw(resourceField);
    out.tag(2, ProtoWriter.LEN);
    out.varint(scopeMetrics);
    out.raw(scopeField);
    for (int k = 0; k < series.length; k++) {
      if (seriesPoints[k] > 0) {
        writeSeries(k, metricLength[k]);
      }
    }
    if (withCollector) {
      for (int k = 0; k < telemetrySeries.length; k++) {
        writeCollectorSeries(k, telemetryPoint, t, now);
      }
    }
    long expected = ProtoWriter.lenFieldSize(resourceMetrics);
    if (out.length() != expected || expected > maxRequestBytes) {
      throw new IllegalStateException(
          "OTLP request of " + out.length() + " bytes, planned " + expected);
    }
    request.points = points;
    request.completedCollections = completedCollections;
    clearPlan();
    boolean goOn = sink.send(request);
    request.index++;
    return goOn;
  }

  private static long metricLength(byte[] header, long pointBytes, boolean sum) {
    long data = pointBytes + (sum ? CUMULATIVE_MONOTONIC.length : 0);
    return header.length + ProtoWriter.lenFieldSize(data);
  }

  private static boolean isSum(SandboxSeries s) {
    return s.kind() == SandboxSeries.Kind.DOUBLE_COUNTER;
  }

  private void writeSeries(int k, long metricLength) {
    SandboxSeries ser = series[k];
    boolean sum = isSum(ser);
    out.tag(2, ProtoWriter.LEN);
    out.varint(metricLength);
    out.raw(seriesHeader[k]);
    out.tag(sum ? 7 : 5, ProtoWriter.LEN);
    out.varint(seriesBytes[k] + (sum ? CUMULATIVE_MONOTONIC.length : 0));
    for (int i = 0; i < plannedCount; i++) {
      SandboxSnapshot s = planned[i];
      Allocation allocation = plannedAllocations[i];
      if (!ser.appliesTo(s, allocation)) {
        continue;
      }
      SandboxAttributes a = plannedAttributes[i];
      long time = Unsigned.epochNanos(s.sampledAtMs());
      switch (ser.kind()) {
        case LONG_GAUGE:
          out.numberPoint(a.bytes, a.pointLength, time, time, AS_INT, ser.longValue(s, allocation));
          break;
        case DOUBLE_GAUGE:
          out.numberPoint(
              a.bytes,
              a.pointLength,
              time,
              time,
              AS_DOUBLE,
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
              AS_DOUBLE,
              Double.doubleToRawLongBits(ser.doubleValue(s, allocation)));
          break;
      }
    }
    if (sum) {
      out.raw(CUMULATIVE_MONOTONIC);
    }
  }

  private void writeCollectorSeries(int k, long pointBytes, CollectorTelemetry t, long now) {
    CollectorSeries c = telemetrySeries[k];
    boolean sum = c.kind() == CollectorSeries.Kind.COUNTER;
    out.tag(2, ProtoWriter.LEN);
    out.varint(metricLength(telemetryHeader[k], pointBytes, sum));
    out.raw(telemetryHeader[k]);
    out.tag(sum ? 7 : 5, ProtoWriter.LEN);
    out.varint(pointBytes + (sum ? CUMULATIVE_MONOTONIC.length : 0));
    switch (c.kind()) {
      case COUNTER:
        out.numberPoint(
            NO_ATTRIBUTES,
            POINT_FIXED_BYTES,
            Math.min(startEpochNanos, now),
            now,
            AS_INT,
            c.longValue(t));
        out.raw(CUMULATIVE_MONOTONIC);
        break;
      case LONG_GAUGE:
        out.numberPoint(NO_ATTRIBUTES, POINT_FIXED_BYTES, now, now, AS_INT, c.longValue(t));
        break;
      case DOUBLE_GAUGE:
      default:
        out.numberPoint(
            NO_ATTRIBUTES,
            POINT_FIXED_BYTES,
            now,
            now,
            AS_DOUBLE,
            Double.doubleToRawLongBits(c.doubleValue(t)));
        break;
    }
  }

  /** Samples sent with labels dropped because one sample would not fit a request. */
  public long samplesTrimmed() {
    return samplesTrimmed;
  }

  /** Samples not sent because even their identity attributes would not fit a request. */
  public long samplesDropped() {
    return samplesDropped;
  }

  /**
   * The attributes of a sample too big for any request: its labels dropped, largest first, until
   * one sample fits; null when it cannot fit at all. Built and logged once per attribute set.
   */
  private SandboxAttributes trimmed(
      SandboxSnapshot s, Allocation allocation, SandboxAttributes full) {
    long room = room(0);
    int points = SandboxSeries.pointsOf(s, allocation);
    if (full.trimmed == null) {
      List<Map.Entry<String, Object>> kept = new ArrayList<>(full.entries.entrySet());
      int dropped = 0;
      SandboxAttributes t = full;
      while ((long) points * t.pointBytes > room) {
        Map.Entry<String, Object> largest = null;
        for (Map.Entry<String, Object> e : kept) {
          if (!isIdentityKey(e.getKey())
              && (largest == null || encodedSize(e) > encodedSize(largest))) {
            largest = e;
          }
        }
        if (largest == null) {
          t = null;
          break;
        }
        kept.remove(largest);
        dropped++;
        TreeMap<String, Object> m = new TreeMap<>();
        kept.forEach(e -> m.put(e.getKey(), e.getValue()));
        t = new SandboxAttributes(m);
      }
      full.trimmed = t == null ? SandboxAttributes.NONE : t;
      if (t == null) {
        logger.warn(
            "sandbox id {}: one sample is larger than the request limit of {} bytes even without"
                + " labels; its samples are dropped",
            s.sandboxId(),
            maxRequestBytes);
      } else {
        logger.warn(
            "sandbox id {}: {} of its labels dropped from its points: with them one sample is"
                + " larger than the request limit of {} bytes",
            s.sandboxId(),
            dropped,
            maxRequestBytes);
      }
    }
    if (full.trimmed == SandboxAttributes.NONE) {
      samplesDropped++;
      return null;
    }
    samplesTrimmed++;
    return full.trimmed;
  }

  private static long encodedSize(Map.Entry<String, Object> e) {
    ProtoWriter w = new ProtoWriter(64);
    keyValue(w, 7, e.getKey(), e.getValue());
    return w.length();
  }

  /** Forgets attributes not used during the flush that just ended. */
  private void endFlush() {
    Map<AttributesKey, SandboxAttributes> recycled = attributesLastFlush;
    recycled.clear();
    attributesLastFlush = attributesThisFlush;
    attributesThisFlush = recycled;
    clearPlan();
  }

  private SandboxAttributes attributesOf(SandboxSnapshot s, Map<String, String> labels) {
    probe.set(s.name(), s.sandboxId(), s.runId(), s.pid(), labels);
    SandboxAttributes a = attributesThisFlush.get(probe);
    if (a != null) {
      return a;
    }
    AttributesKey key = probe.copy();
    a = attributesLastFlush.remove(key);
    if (a == null) {
      a = new SandboxAttributes(entries(s, labels));
    }
    attributesThisFlush.put(key, a);
    return a;
  }

  private TreeMap<String, Object> entries(SandboxSnapshot s, Map<String, String> labels) {
    TreeMap<String, Object> m = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (!k.isEmpty() && !isIdentityKey(k)) {
            m.put(k, v);
          }
        });
    m.put(SANDBOX_NAME, s.name());
    m.put(SANDBOX_ID, (long) s.sandboxId());
    if (emitRunId) {
      m.put(SANDBOX_RUN_ID, (long) s.runId());
    }
    if (emitPid) {
      m.put(SANDBOX_PID, (long) s.pid());
    }
    return m;
  }

  // A label named like an identity attribute would sit next to it with another type (string vs
  // int), and a backend would see two values for one key: the identity attribute wins.
  private boolean isIdentityKey(String key) {
    return key.equals(SANDBOX_NAME)
        || key.equals(SANDBOX_ID)
        || (emitRunId && key.equals(SANDBOX_RUN_ID))
        || (emitPid && key.equals(SANDBOX_PID));
  }

  private static byte[] metricHeader(String name, String description, String unit) {
    ProtoWriter w = new ProtoWriter(128);
    w.stringField(1, name);
    if (!description.isEmpty()) {
      w.stringField(2, description);
    }
    if (!unit.isEmpty()) {
      w.stringField(3, unit);
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

  /** Writes a {@code KeyValue} as field {@code field}: a string or an int64 value. */
  static void keyValue(ProtoWriter w, int field, String key, Object value) {
    ProtoWriter kv = new ProtoWriter(64);
    kv.stringField(1, key);
    ProtoWriter any = new ProtoWriter(32);
    if (value instanceof String) {
      any.stringField(1, (String) value);
    } else {
      any.varintField(3, (Long) value);
    }
    kv.bytesField(2, any.toByteArray());
    w.bytesField(field, kv.toByteArray());
  }

  /** One sandbox's encoded attributes, and the size of each of its points. */
  static final class SandboxAttributes {
    static final SandboxAttributes NONE = new SandboxAttributes(new TreeMap<>());

    final TreeMap<String, Object> entries;
    final byte[] bytes;
    final int pointLength;
    final int pointBytes;
    // the labels-dropped form, for a sample too big for a request (NONE: cannot fit at all)
    SandboxAttributes trimmed;

    SandboxAttributes(TreeMap<String, Object> entries) {
      this.entries = entries;
      ProtoWriter w = new ProtoWriter(128);
      entries.forEach((k, v) -> keyValue(w, 7, k, v));
      this.bytes = w.toByteArray();
      this.pointLength = bytes.length + POINT_FIXED_BYTES;
      this.pointBytes = ProtoWriter.lenFieldSize(pointLength);
    }
  }

  /**
   * What a sample's attributes depend on. Mutable only for {@link #probe}; stored keys are never
   * changed.
   */
  private static final class AttributesKey {
    private String name;
    private int sandboxId;
    private int runId;
    private int pid;
    private Map<String, String> labels;
    private int hash;

    void set(String name, int sandboxId, int runId, int pid, Map<String, String> labels) {
      this.name = name;
      this.sandboxId = sandboxId;
      this.runId = runId;
      this.pid = pid;
      this.labels = labels;
      // without the labels: hashing a map walks it, and one identity rarely has two label sets
      this.hash = ((name.hashCode() * 31 + sandboxId) * 31 + runId) * 31 + pid;
    }

    AttributesKey copy() {
      AttributesKey k = new AttributesKey();
      k.set(name, sandboxId, runId, pid, labels);
      return k;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof AttributesKey)) {
        return false;
      }
      AttributesKey k = (AttributesKey) o;
      return sandboxId == k.sandboxId
          && runId == k.runId
          && pid == k.pid
          && name.equals(k.name)
          // label maps are shared instances while unchanged: identity first, equals as fallback
          && (labels == k.labels || Objects.equals(labels, k.labels));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
