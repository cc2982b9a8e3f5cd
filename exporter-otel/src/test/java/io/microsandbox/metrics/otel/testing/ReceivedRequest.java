package io.microsandbox.metrics.otel.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One OTLP request as a test receiver decoded it: the protobuf message, the request headers (keys
 * lower-case), whether the body arrived compressed, the path (HTTP) and the status the receiver
 * answered.
 */
public final class ReceivedRequest {
  private final ExportMetricsServiceRequest request;
  private final Map<String, String> headers;
  private final String contentEncoding;
  private final String path;
  private final int answeredStatus;
  private final long bodyBytes;

  ReceivedRequest(
      ExportMetricsServiceRequest request,
      Map<String, String> headers,
      String contentEncoding,
      String path,
      int answeredStatus) {
    this(
        request,
        headers,
        contentEncoding,
        path,
        answeredStatus,
        request == null ? 0 : request.getSerializedSize());
  }

  ReceivedRequest(
      ExportMetricsServiceRequest request,
      Map<String, String> headers,
      String contentEncoding,
      String path,
      int answeredStatus,
      long bodyBytes) {
    this.bodyBytes = bodyBytes;
    this.request = request;
    this.headers = Map.copyOf(headers);
    this.contentEncoding = contentEncoding == null ? "" : contentEncoding;
    this.path = path;
    this.answeredStatus = answeredStatus;
  }

  /** The size of the uncompressed protobuf body, bytes. */
  public long bodyBytes() {
    return bodyBytes;
  }

  /** The decoded request; null when the receiver discards bodies (benchmarks). */
  public ExportMetricsServiceRequest request() {
    return request;
  }

  /** Request headers (gRPC metadata), keys lower-case. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The header {@code key} (any case), or null. */
  public String header(String key) {
    return headers.get(key.toLowerCase(Locale.ROOT));
  }

  /** {@code gzip} when the body arrived gzip-compressed, else empty. */
  public String contentEncoding() {
    return contentEncoding;
  }

  /** The HTTP request path; empty for gRPC. */
  public String path() {
    return path;
  }

  /** The HTTP status or gRPC code value the receiver answered with (200 / 0 for success). */
  public int answeredStatus() {
    return answeredStatus;
  }

  /** Every metric of the request, across resources and scopes, in request order. */
  public List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        out.addAll(sm.getMetricsList());
      }
    }
    return out;
  }

  /** The metrics named {@code name}. */
  public List<Metric> metrics(String name) {
    List<Metric> out = new ArrayList<>();
    for (Metric m : metrics()) {
      if (m.getName().equals(name)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Every number point of the metrics named {@code name} (gauge or sum), in request order. */
  public List<NumberDataPoint> points(String name) {
    List<NumberDataPoint> out = new ArrayList<>();
    for (Metric m : metrics(name)) {
      if (m.hasGauge()) {
        out.addAll(m.getGauge().getDataPointsList());
      } else if (m.hasSum()) {
        out.addAll(m.getSum().getDataPointsList());
      }
    }
    return out;
  }

  /** The number of data points in the request. */
  public int pointCount() {
    int n = 0;
    for (Metric m : metrics()) {
      n += m.hasGauge() ? m.getGauge().getDataPointsCount() : m.getSum().getDataPointsCount();
    }
    return n;
  }
}
