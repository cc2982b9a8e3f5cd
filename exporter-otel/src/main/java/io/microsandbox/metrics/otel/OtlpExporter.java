package io.microsandbox.metrics.otel;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.otel.internal.BatchEncoder;
import io.microsandbox.metrics.otel.internal.BuildInfo;
import io.microsandbox.metrics.otel.internal.ExportFailures;
import io.microsandbox.metrics.otel.internal.PartialSuccess;
import io.microsandbox.metrics.otel.internal.Sample;
import io.microsandbox.metrics.otel.internal.SenderLoader;
import io.microsandbox.metrics.otel.internal.TelemetrySeries;
import io.microsandbox.metrics.otel.internal.TlsMaterial;
import io.microsandbox.metrics.registry.TimeSource;
import io.microsandbox.metrics.series.Unsigned;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetricsExporter} that sends each batch to an OTLP backend over gRPC or HTTP/protobuf,
 * through the OpenTelemetry SDK's OTLP exporters.
 *
 * <p>What goes out, per batch:
 *
 * <ul>
 *   <li>one request holding every collection of the batch (several requests only when it has more
 *       than {@link OtlpExporterBuilder#maxRequestBytes(long)} bytes), with one metric per series
 *       name and one point per sample, each stamped with its own sample's {@code sampled_at};
 *   <li>the spec's series ({@code microsandbox.*}) with attributes {@code sandbox.name}, {@code
 *       sandbox.id}, opt-in {@code sandbox.run_id} / {@code sandbox.pid}, and the sandbox's labels
 *       (an identity attribute wins over a label of the same key);
 *   <li>unsigned byte values above {@link Long#MAX_VALUE} clamped to {@link Long#MAX_VALUE} (never
 *       wrapped negative; integer series stay integer);
 *   <li>the collector telemetry series ({@code microsandbox.collector.*}) at the export
 *       time, in the first request.
 * </ul>
 *
 * <p>The SDK exporter's own retry is disabled: a failed request returns {@link
 * ExportResult#retryable} (with the backend's HTTP {@code Retry-After} or gRPC {@code RetryInfo}
 * delay when it sent one) and the collector's worker decides when to try again. HTTP 400 / gRPC
 * INVALID_ARGUMENT return {@link ExportResult#rejected}. A partial success returns {@link
 * ExportResult#partialSuccess}. Header values are never logged.
 *
 * <p>The SDK exporters encode; the transports are this module's own, plugged in through the SDK's
 * public sender SPI: the JDK {@code HttpClient} for HTTP, OkHttp with TCP_NODELAY sockets for gRPC.
 * The SDK's own senders leave Nagle's algorithm on (a ~30 ms wait per large request) and drop what
 * the backend says beyond the status (Retry-After, RetryInfo, partial success).
 *
 * <p>Not thread-safe for concurrent exports; the collector calls {@link #export} from one worker.
 */
public final class OtlpExporter implements MetricsExporter {
  /** The instrumentation scope name of every metric. */
  public static final String SCOPE_NAME = "microsandbox-metrics-collector";

  private static final Logger logger = LoggerFactory.getLogger(OtlpExporter.class);
  // extra wait beyond the request timeout for the SDK to report its own timeout as a failure
  private static final Duration JOIN_GRACE = Duration.ofSeconds(2);
  // room kept in a request for the resource, scope, metric headers and collector telemetry series
  private static final long TELEMETRY_BYTES = 16 * 1024;
  private static final long SDK_DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  private final String endpoint;
  private final OtlpProtocol protocol;
  private final OtlpCompression compression;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final long maxRequestBytes;
  private final int identityIntAttributes;
  private final TimeSource timeSource;
  private final BatchEncoder encoder;
  private final TelemetrySeries telemetrySeries;
  private final MetricExporter sdkExporter;
  // the body of the latest 2xx HTTP response (for partial successes); gRPC never sets it
  private final AtomicReference<byte[]> lastSuccessBody = new AtomicReference<>();

  OtlpExporter(OtlpExporterBuilder b, TlsMaterial tls, long maxRequestBytes) {
    this.endpoint = b.endpoint;
    this.protocol = b.protocol;
    this.compression = b.compression;
    this.headers = Map.copyOf(b.effectiveHeaders());
    this.timeout = b.requestTimeout;
    this.maxRequestBytes = maxRequestBytes;
    this.identityIntAttributes = 1 + (b.emitRunId ? 1 : 0) + (b.emitPid ? 1 : 0);
    this.timeSource = b.timeSource;
    Resource resource = resource(b.resourceAttributes);
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(SCOPE_NAME).setVersion(BuildInfo.version()).build();
    this.encoder = new BatchEncoder(resource, scope, b.emitRunId, b.emitPid);
    this.telemetrySeries =
        new TelemetrySeries(
            resource, scope, Unsigned.epochNanos(timeSource.currentTimeMillis()));
    this.sdkExporter = sdkExporter(b, tls, maxRequestBytes, lastSuccessBody::set);
  }

  /** A builder; {@link OtlpExporterBuilder#endpoint(String)} is required. */
  public static OtlpExporterBuilder builder() {
    return new OtlpExporterBuilder();
  }

  @Override
  public String name() {
    return "otlp";
  }

  /**
   * Sends {@code batch} as one request (or several above the per-request size limit), oldest
   * samples first, and waits for the backend's answer up to the configured timeout.
   */
  @Override
  public ExportResult export(ExportBatch batch) throws InterruptedException {
    try {
      return exportRequests(batch);
    } finally {
      encoder.endFlush();
    }
  }

  private ExportResult exportRequests(ExportBatch batch) throws InterruptedException {
    List<List<Sample>> requests =
        Sample.split(
            Sample.of(batch, identityIntAttributes), maxRequestBytes - TELEMETRY_BYTES);
    long now = Unsigned.epochNanos(timeSource.currentTimeMillis());
    long sent = 0;
    long rejected = 0;
    String warning = "";
    for (int i = 0; i < requests.size(); i++) {
      List<MetricData> metrics = new ArrayList<>(encoder.encode(requests.get(i)));
      if (i == 0) {
        metrics.addAll(telemetrySeries.encode(batch.telemetry(), now));
      }
      long points = countPoints(metrics);
      ExportResult failure = send(metrics);
      if (failure != null) {
        if (i > 0) {
          logger.warn(
              "OTLP flush split in {} requests failed at request {}; the {} requests already"
                  + " delivered will be sent again with the retry",
              requests.size(),
              i + 1,
              i);
        }
        return failure;
      }
      sent += points;
      Optional<PartialSuccess> partial = PartialSuccess.parse(lastSuccessBody.getAndSet(null));
      if (partial.isPresent()) {
        rejected += partial.get().rejectedPoints();
        warning = partial.get().message().isEmpty() ? warning : partial.get().message();
      }
    }
    if (rejected > 0 || !warning.isEmpty()) {
      return ExportResult.partialSuccess(
          Math.max(0, sent - rejected),
          rejected,
          "backend "
              + endpoint
              + " rejected "
              + rejected
              + " points"
              + (warning.isEmpty() ? "" : ": " + warning.replaceAll("\\s+", " ")));
    }
    return ExportResult.success(sent);
  }

  /** Sends one request; null on success, else the classified failure. */
  private ExportResult send(List<MetricData> metrics) throws InterruptedException {
    lastSuccessBody.set(null);
    CompletableResultCode result = sdkExporter.export(metrics);
    long waitMs = timeout.plus(JOIN_GRACE).toMillis();
    // CompletableResultCode.join swallows interruption; wait in slices so that the worker's
    // timeout (which interrupts us) ends the wait promptly
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    while (!result.isDone()) {
      if (Thread.interrupted()) {
        throw new InterruptedException("OTLP export interrupted");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return ExportResult.retryable(
            "timed out after " + timeout.toMillis() + " ms (" + endpoint + ")");
      }
      result.join(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
    }
    if (result.isSuccess()) {
      return null;
    }
    return ExportFailures.classify(result.getFailureThrowable(), endpoint);
  }

  private static long countPoints(List<MetricData> metrics) {
    long n = 0;
    for (MetricData m : metrics) {
      n += m.getData().getPoints().size();
    }
    return n;
  }

  /** Shuts the SDK exporter down (closing its connections), waiting up to 10 seconds. */
  @Override
  public void shutdown() {
    CompletableResultCode r = sdkExporter.shutdown().join(10, TimeUnit.SECONDS);
    if (!r.isSuccess()) {
      logger.warn("OTLP exporter did not shut down cleanly within 10 s");
    }
  }

  /** The configuration, with header values masked. */
  @Override
  public String toString() {
    StringBuilder h = new StringBuilder("[");
    headers.keySet().forEach(k -> h.append(h.length() > 1 ? ", " : "").append(k).append("=***"));
    return "OtlpExporter{endpoint="
        + endpoint
        + ", protocol="
        + protocol
        + ", compression="
        + compression
        + ", headers="
        + h.append(']')
        + ", timeout="
        + timeout
        + ", maxRequestBytes="
        + maxRequestBytes
        + '}';
  }

  private static Resource resource(Map<String, String> overrides) {
    AttributesBuilder a = Attributes.builder().put("service.name", "microsandbox");
    BuildInfo.hostname().ifPresent(h -> a.put("service.instance.id", h));
    overrides.forEach(a::put);
    return Resource.create(a.build());
  }

  private static MetricExporter sdkExporter(
      OtlpExporterBuilder b,
      TlsMaterial tls,
      long maxRequestBytes,
      Consumer<byte[]> successBodies) {
    String compression = b.compression == OtlpCompression.GZIP ? "gzip" : "none";
    Duration connectTimeout =
        b.requestTimeout.compareTo(Duration.ofSeconds(10)) < 0
            ? b.requestTimeout
            : Duration.ofSeconds(10);
    // requests are split at maxRequestBytes (an upper-bound estimate); the SDK's own cap only
    // guards against a runaway, so keep it well above
    long sdkMaxBytes = Math.max(SDK_DEFAULT_MAX_REQUEST_BYTES, 2 * maxRequestBytes);
    if (b.protocol == OtlpProtocol.GRPC) {
      OtlpGrpcMetricExporterBuilder g =
          OtlpGrpcMetricExporter.builder()
              .setEndpoint(b.endpoint)
              .setCompression(compression)
              .setTimeout(b.requestTimeout)
              .setConnectTimeout(connectTimeout)
              .setMaxRequestMessageSize(sdkMaxBytes)
              // OkHttp with TCP_NODELAY sockets, RetryInfo, partial success (GrpcOkHttpSender)
              .setComponentLoader(new SenderLoader(successBodies))
              // the collector's worker is the one retry mechanism
              .setRetryPolicy(null)
              // low-allocation marshaling; safe because the worker exports one batch at a time
              .setMemoryMode(MemoryMode.REUSABLE_DATA);
      b.effectiveHeaders().forEach(g::addHeader);
      if (tls != null) {
        g.setSslContext(tls.sslContext(), tls.trustManager());
      }
      return g.build();
    }
    OtlpHttpMetricExporterBuilder h =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(b.endpoint)
            .setCompression(compression)
            .setTimeout(b.requestTimeout)
            .setConnectTimeout(connectTimeout)
            .setMaxRequestBodySize(sdkMaxBytes)
            // JdkHttpSender: TCP_NODELAY, Retry-After, partial success
            .setComponentLoader(new SenderLoader(successBodies))
            .setRetryPolicy(null)
            .setMemoryMode(MemoryMode.REUSABLE_DATA);
    b.effectiveHeaders().forEach(h::addHeader);
    if (tls != null) {
      h.setSslContext(tls.sslContext(), tls.trustManager());
    }
    return h.build();
  }
}
