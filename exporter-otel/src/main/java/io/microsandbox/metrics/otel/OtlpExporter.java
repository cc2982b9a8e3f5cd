package io.microsandbox.metrics.otel;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.otel.internal.BuildInfo;
import io.microsandbox.metrics.otel.internal.ExportFailures;
import io.microsandbox.metrics.otel.internal.GrpcTransport;
import io.microsandbox.metrics.otel.internal.HttpTransport;
import io.microsandbox.metrics.otel.internal.OtlpRequestEncoder;
import io.microsandbox.metrics.otel.internal.OtlpTransport;
import io.microsandbox.metrics.otel.internal.PartialSuccess;
import io.microsandbox.metrics.otel.internal.SendResult;
import io.microsandbox.metrics.otel.internal.TlsMaterial;
import io.microsandbox.metrics.otel.internal.TransportLibraries;
import io.microsandbox.metrics.registry.TimeSource;
import io.microsandbox.metrics.series.Unsigned;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetricsExporter} that sends each batch to an OTLP backend over gRPC or HTTP/protobuf.
 *
 * <p>What goes out, per batch:
 *
 * <ul>
 *   <li>one request holding every collection of the batch (several requests only when it has more
 *       than {@link OtlpExporterBuilder#maxRequestBytes(long)} bytes), with one metric per series
 *       name and one point per sample, each stamped with its own sample's {@code sampled_at};
 *   <li>the sandbox series ({@code microsandbox.*}, docs/metrics.md, "Metrics") with attributes
 *       {@code sandbox.name}, {@code sandbox.id}, opt-in {@code sandbox.run_id} / {@code
 *       sandbox.pid}, and the sandbox's labels (an identity attribute wins over a label of the same
 *       key);
 *   <li>unsigned byte values above {@link Long#MAX_VALUE} clamped to {@link Long#MAX_VALUE} (never
 *       wrapped negative; integer series stay integer);
 *   <li>the collector telemetry series ({@code microsandbox.collector.*}) at the export time, in
 *       the first request.
 * </ul>
 *
 * <p>A failed request returns {@link ExportResult#retryable} (with the backend's HTTP {@code
 * Retry-After} or gRPC {@code RetryInfo} delay when it sent one) and the collector's worker decides
 * when to try again. HTTP 400 / gRPC INVALID_ARGUMENT, and a request refused as too large (HTTP
 * 413, gRPC RESOURCE_EXHAUSTED saying so), return {@link ExportResult#rejected}. A partial success
 * returns {@link ExportResult#partialSuccess}. Header values are never logged.
 *
 * <p>The protobuf bytes are this module's own ({@code OtlpRequestEncoder}: no per-point objects,
 * attribute bytes kept per sandbox), and so are the transports: the JDK {@code HttpClient} for
 * HTTP, OkHttp with TCP_NODELAY sockets for gRPC; each returns a typed result per request (status,
 * retry delay, partial success).
 *
 * <p>Not thread-safe for concurrent exports; the collector calls {@link #export} from one worker.
 */
public final class OtlpExporter implements MetricsExporter {
  /** The instrumentation scope name of every metric. */
  public static final String SCOPE_NAME = "microsandbox-metrics-collector";

  private static final Logger logger = LoggerFactory.getLogger(OtlpExporter.class);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  // as shown in messages and toString: credentials redacted
  private final String endpoint;
  private final OtlpProtocol protocol;
  private final OtlpCompression compression;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final long maxRequestBytes;
  private final TimeSource timeSource;
  private final OtlpRequestEncoder encoder;
  private final OtlpTransport transport;

  OtlpExporter(OtlpExporterBuilder b, @Nullable TlsMaterial tls, long maxRequestBytes) {
    this.endpoint = EndpointRedaction.redact(b.endpoint);
    this.protocol = b.protocol;
    this.compression = b.compression;
    this.headers = Map.copyOf(b.effectiveHeaders());
    this.timeout = b.requestTimeout;
    this.maxRequestBytes = maxRequestBytes;
    this.timeSource = b.timeSource;
    this.encoder =
        new OtlpRequestEncoder(
            resourceAttributes(b.resourceAttributes),
            SCOPE_NAME,
            MetricsCollector.version(),
            b.emitRunId,
            b.emitPid,
            maxRequestBytes,
            Unsigned.epochNanos(timeSource.currentTimeMillis()));
    this.transport = transport(b, tls, headers);
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
   * samples first, each request waiting for the backend's answer up to the request timeout.
   *
   * <p>Timeouts: {@link OtlpExporterBuilder#requestTimeout} bounds each request; the collector's
   * export timeout bounds the whole batch (it interrupts this call). Either way, when a request
   * fails or the batch is cut short, the result says how many leading collections the accepted
   * requests completed ({@link ExportResult#afterAccepting}): those leave the buffer and only the
   * rest are sent again, so a slow backend makes progress instead of receiving the same requests
   * again.
   */
  @Override
  public ExportResult export(ExportBatch batch) {
    long now = Unsigned.epochNanos(timeSource.currentTimeMillis());
    Progress p = new Progress();
    try {
      encoder.encode(
          batch,
          now,
          request -> {
            SendResult r = transport.send(request.array(), request.length());
            if (!r.isAccepted()) {
              p.failure = ExportFailures.classify(r, endpoint);
              return false;
            }
            p.completed = request.completedCollections();
            p.sent += request.points();
            if (r.partialSuccess().isPresent()) {
              PartialSuccess partial = r.partialSuccess().get();
              p.rejected += partial.rejectedPoints();
              p.warning = partial.message().isEmpty() ? p.warning : partial.message();
            }
            return true;
          });
    } catch (InterruptedException e) {
      // the collector's export timeout (or shutdown): report what was delivered, keep the flag
      Thread.currentThread().interrupt();
      p.failure = ExportResult.retryable("interrupted (" + endpoint + ")");
    }
    if (p.failure != null) {
      return p.completed > 0 ? p.failure.afterAccepting(p.completed, p.sent) : p.failure;
    }
    if (p.rejected > 0 || !p.warning.isEmpty()) {
      return ExportResult.partialSuccess(
          Math.max(0, p.sent - p.rejected),
          p.rejected,
          "backend "
              + endpoint
              + " rejected "
              + p.rejected
              + " points"
              + (p.warning.isEmpty() ? "" : ": " + p.warning.replaceAll("\\s+", " ")));
    }
    return ExportResult.success(p.sent);
  }

  /** What the requests of one export achieved. */
  private static final class Progress {
    // leading collections complete in the requests accepted so far
    int completed;
    long sent;
    long rejected;
    String warning = "";
    @Nullable ExportResult failure;
  }

  /** Closes the transport's connections. */
  @Override
  public void shutdown() {
    transport.close();
  }

  /** The configuration, with header values and the endpoint's credentials masked. */
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

  private static Map<String, String> resourceAttributes(Map<String, String> overrides) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("service.name", "microsandbox");
    BuildInfo.hostname().ifPresent(h -> a.put("service.instance.id", h));
    a.putAll(overrides);
    return a;
  }

  private static OtlpTransport transport(
      OtlpExporterBuilder b, @Nullable TlsMaterial tls, Map<String, String> headers) {
    boolean gzip = b.compression == OtlpCompression.GZIP;
    Duration connectTimeout =
        b.requestTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0
            ? b.requestTimeout
            : MAX_CONNECT_TIMEOUT;
    URI uri = URI.create(b.endpoint);
    if (b.protocol == OtlpProtocol.GRPC) {
      try {
        return grpcTransport(b, tls, headers, gzip, connectTimeout, uri);
      } catch (LinkageError e) {
        throw new InvalidSettingException(
            "protocol",
            "OTLP over gRPC needs OkHttp on the class path ("
                + TransportLibraries.describe(e)
                + "): add com.squareup.okhttp3:okhttp-jvm 5.x or okhttp 4.12+, or use protocol"
                + " HTTP_PROTOBUF, which needs no OkHttp",
            e);
      }
    }
    return new HttpTransport(
        uri,
        headers,
        gzip,
        b.requestTimeout,
        connectTimeout,
        tls == null ? null : tls.sslContext());
  }

  // apart, so that the OkHttp classes load only for gRPC: an HTTP-only application has no OkHttp
  private static OtlpTransport grpcTransport(
      OtlpExporterBuilder b,
      @Nullable TlsMaterial tls,
      Map<String, String> headers,
      boolean gzip,
      Duration connectTimeout,
      URI uri) {
    List<String> okHttpJars =
        TransportLibraries.duplicateOkHttpJars(OtlpExporter.class.getClassLoader());
    if (!okHttpJars.isEmpty()) {
      // which copy of each class loads is up to the class path order: exclude one of them
      logger.warn(
          "OkHttp is on the class path more than once ({}): exclude one of them (for OkHttp 4,"
              + " exclude com.squareup.okhttp3:okhttp-jvm from msb-metrics-exporter-otel; see"
              + " docs/library.md)",
          String.join(", ", okHttpJars));
    }
    return new GrpcTransport(
        uri,
        headers,
        gzip,
        b.requestTimeout,
        connectTimeout,
        tls == null ? null : tls.sslContext(),
        tls == null ? null : tls.trustManager());
  }
}
