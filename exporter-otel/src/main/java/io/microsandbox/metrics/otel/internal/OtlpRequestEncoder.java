package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Splits a batch into OTLP {@code ExportMetricsServiceRequest}s and hands each over as soon as it
 * is written, straight from the buffered samples: no per-point objects, no object tree, one reused
 * buffer.
 *
 * <pre>
 *   per sample: its attributes (SandboxAttributeCache) --&gt; exact bytes of its points
 *   plan a request (RequestPlan): samples in order while they fit the size limit
 *   write it (MetricsRequestWriter) --&gt; RequestSink (sends it; false stops the batch)
 * </pre>
 *
 * <p>A request never exceeds the size limit. Requests are filled in sample order and split between
 * samples; each tells how many leading collections are complete once it is accepted, so that a
 * batch cut short by a failure returns only the rest to the buffer (a collection split across the
 * failed boundary goes back whole). A single sample that cannot fit even alone (huge labels) is
 * sent with its largest labels dropped until it fits, counted and logged once per sandbox and label
 * set; if even its identity attributes cannot fit it is dropped and counted.
 *
 * <p>Not thread-safe: one flush at a time.
 */
public final class OtlpRequestEncoder {
  /** Attribute: the sandbox name. */
  public static final String SANDBOX_NAME = "sandbox.name";

  /** Attribute: the catalog sandbox id. */
  public static final String SANDBOX_ID = "sandbox.id";

  /** Attribute (opt-in): the catalog run id. */
  public static final String SANDBOX_RUN_ID = "sandbox.run_id";

  /** Attribute (opt-in): the runtime's host pid. */
  public static final String SANDBOX_PID = "sandbox.pid";

  private final long maxRequestBytes;
  private final SandboxAttributeCache attributes;
  private final MetricsRequestWriter writer;
  private final RequestPlan plan;
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
    this.maxRequestBytes = maxRequestBytes;
    SandboxSeries[] series = SandboxSeries.all();
    this.attributes = new SandboxAttributeCache(emitRunId, emitPid);
    this.writer =
        new MetricsRequestWriter(
            series,
            resourceAttributes,
            scopeName,
            scopeVersion,
            startEpochNanos,
            (int) Math.min(maxRequestBytes, 64 << 10));
    if (writer.framingBytes() + writer.collectorBytes() >= maxRequestBytes) {
      throw new IllegalArgumentException(
          "maxRequestBytes " + maxRequestBytes + " leaves no room for data points");
    }
    this.plan = new RequestPlan(series);
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
      return writer.buffer().length();
    }

    /** The backing array, valid up to {@link #length()}. */
    public byte[] array() {
      return writer.buffer().array();
    }

    /** Writes the protobuf bytes to {@code o}. */
    public void writeTo(OutputStream o) throws IOException {
      writer.buffer().writeTo(o);
    }

    /** A copy of the protobuf bytes. */
    public byte[] toByteArray() {
      return writer.buffer().toByteArray();
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
      attributes.endFlush();
      writer.endFlush();
      plan.clear();
    }
  }

  private boolean encodeRequests(ExportBatch batch, long now, RequestSink sink)
      throws InterruptedException {
    Request request = new Request();
    CollectorTelemetry telemetry = batch.telemetry();
    plan.clear();
    List<SnapshotCollection> collections = batch.collections();
    for (int c = 0; c < collections.size(); c++) {
      SnapshotCollection collection = collections.get(c);
      Map<Integer, Map<String, String>> labelsById = collection.labelsBySandboxId();
      Map<Integer, Allocation> allocationsById = collection.allocationsBySandboxId();
      for (SandboxSnapshot s : collection.snapshots()) {
        // as collection.labels(s) and .allocation(s), with the id boxed once (C1 keeps each box)
        @Nullable Integer id =
            labelsById.isEmpty() && allocationsById.isEmpty() ? null : s.sandboxId();
        Map<String, String> labels = id == null ? Map.of() : labelsById.getOrDefault(id, Map.of());
        Allocation allocation =
            id == null ? Allocation.UNKNOWN : allocationsById.getOrDefault(id, Allocation.UNKNOWN);
        SandboxAttributes a = attributes.attributesOf(s, labels);
        long bytes = (long) SandboxSeries.pointsOf(s, allocation) * a.pointBytes;
        if (plan.bytes() + bytes > room(request.index) && plan.count() > 0) {
          // collections before this one are complete; this one continues in the next request
          if (!emit(request, c, telemetry, now, sink)) {
            return false;
          }
        }
        if (bytes > room(request.index)) {
          SandboxAttributes fitting = trimmed(s, allocation, a);
          if (fitting == null) {
            continue;
          }
          a = fitting;
        }
        plan.add(s, a, allocation);
      }
    }
    if (plan.count() > 0 || request.index == 0) {
      return emit(request, collections.size(), telemetry, now, sink);
    }
    return true;
  }

  /** Bytes left for points in request {@code index}. */
  private long room(int index) {
    return maxRequestBytes - writer.framingBytes() - (index == 0 ? writer.collectorBytes() : 0);
  }

  /** Writes the planned request, hands it over, and starts the next plan. */
  private boolean emit(
      Request request, int completedCollections, CollectorTelemetry t, long now, RequestSink sink)
      throws InterruptedException {
    long points = writer.write(plan, request.index == 0, t, now);
    if (request.length() > maxRequestBytes) {
      throw new IllegalStateException(
          "OTLP request of " + request.length() + " bytes, above the limit " + maxRequestBytes);
    }
    request.points = points;
    request.completedCollections = completedCollections;
    plan.clear();
    boolean goOn = sink.send(request);
    request.index++;
    return goOn;
  }

  /** Samples sent with labels dropped because one sample would not fit a request. */
  public long samplesTrimmed() {
    return samplesTrimmed;
  }

  /** Samples not sent because even their identity attributes would not fit a request. */
  public long samplesDropped() {
    return samplesDropped;
  }

  /** The attributes of a sample too big for any request, or null when it cannot fit at all. */
  private @Nullable SandboxAttributes trimmed(
      SandboxSnapshot s, Allocation allocation, SandboxAttributes full) {
    SandboxAttributes t =
        attributes.trimmed(
            s, full, SandboxSeries.pointsOf(s, allocation), room(0), maxRequestBytes);
    if (t == SandboxAttributes.NONE) {
      samplesDropped++;
      return null;
    }
    samplesTrimmed++;
    return t;
  }
}
