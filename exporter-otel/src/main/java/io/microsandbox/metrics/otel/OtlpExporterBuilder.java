package io.microsandbox.metrics.otel;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.otel.internal.TlsMaterial;
import io.microsandbox.metrics.registry.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configures an {@link OtlpExporter}. Only {@link #endpoint(String)} is required; every other
 * setting has the default of the {@code msb-metrics otel} command.
 *
 * <p>{@link #build()} validates the whole configuration (URL scheme, TLS files that parse, the
 * combinations that can work) and throws {@link IllegalArgumentException} with a one-line message
 * otherwise, so a bad configuration fails before anything starts.
 */
public final class OtlpExporterBuilder {
  /**
   * Default {@link #maxRequestBytes(long)}: 3 MiB, under the 4 MiB a gRPC server (and the
   * OpenTelemetry Collector's OTLP/gRPC receiver) accepts by default, and small enough for the body
   * limits of common HTTP proxies and gateways. At about 100-140 bytes per point (the identity
   * attributes and a few labels repeat on every point), a 10 s flush of 10 collections stays one
   * request up to about 200 sandboxes.
   */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 3L * 1024 * 1024;

  /**
   * Default {@link #requestTimeout(Duration)}: the collector's default export timeout, {@link
   * MetricsCollector#DEFAULT_EXPORT_TIMEOUT}.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = MetricsCollector.DEFAULT_EXPORT_TIMEOUT;

  // connection-level headers: the HTTP clients refuse them, HTTP/2 (gRPC) forbids them
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "te");

  String endpoint;
  OtlpProtocol protocol = OtlpProtocol.GRPC;
  OtlpCompression compression = OtlpCompression.NONE;
  final Map<String, String> headers = new LinkedHashMap<>();
  final Map<String, String> resourceAttributes = new LinkedHashMap<>();
  byte[] trustedCertificatesPem;
  byte[] clientKeyPem;
  byte[] clientCertificatePem;
  boolean emitRunId;
  boolean emitPid;
  Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
  TimeSource timeSource = TimeSource.SYSTEM;

  OtlpExporterBuilder() {}

  /**
   * Where to send. gRPC: {@code http://host:4317} (plaintext) or {@code https://host:4317} (TLS).
   * HTTP: the full URL, used exactly as given, usually {@code http://host:4318/v1/metrics}.
   */
  public OtlpExporterBuilder endpoint(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    return this;
  }

  /** The transport; default {@link OtlpProtocol#GRPC}. */
  public OtlpExporterBuilder protocol(OtlpProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    return this;
  }

  /** Request compression; default {@link OtlpCompression#NONE}, as the Rust msb-metrics. */
  public OtlpExporterBuilder compression(OtlpCompression compression) {
    this.compression = Objects.requireNonNull(compression, "compression");
    return this;
  }

  /**
   * Adds a header sent with every request (for example an {@code Authorization} token); a later
   * value for the same key (case-insensitive) replaces an earlier one. Values are never logged.
   */
  public OtlpExporterBuilder header(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new IllegalArgumentException("header key is empty");
    }
    if (TRANSPORT_HEADERS.contains(key.trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("header " + key + " is set by the transport itself");
    }
    if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      throw new IllegalArgumentException("header name " + key + " is not a valid HTTP header name");
    }
    // printable ASCII and tabs only: both transports refuse anything else (value not shown)
    if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException(
          "header " + key + " has a value that is not printable ASCII (value not shown)");
    }
    headers.keySet().removeIf(k -> k.equalsIgnoreCase(key));
    headers.put(key, value);
    return this;
  }

  /** Adds every header of {@code headers}, as {@link #header(String, String)}. */
  public OtlpExporterBuilder headers(Map<String, String> headers) {
    headers.forEach(this::header);
    return this;
  }

  /**
   * Adds or overrides a resource attribute; the defaults are {@code service.name=microsandbox} and
   * {@code service.instance.id=<hostname>} (when the hostname can be found).
   */
  public OtlpExporterBuilder resourceAttribute(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new IllegalArgumentException("resource attribute key is empty");
    }
    resourceAttributes.put(key, value);
    return this;
  }

  /** Adds or overrides every attribute of {@code attributes}, as {@link #resourceAttribute}. */
  public OtlpExporterBuilder resourceAttributes(Map<String, String> attributes) {
    attributes.forEach(this::resourceAttribute);
    return this;
  }

  /**
   * PEM certificates (one or more) of certificate authorities to trust <em>in addition to</em> the
   * JVM's default trust store; needs an {@code https://} endpoint.
   */
  public OtlpExporterBuilder trustedCertificates(byte[] pem) {
    this.trustedCertificatesPem = Objects.requireNonNull(pem, "pem").clone();
    return this;
  }

  /**
   * A client certificate (PEM, optionally followed by its chain) and its unencrypted private key
   * (PEM, PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}) for mutual TLS; needs an
   * {@code https://} endpoint.
   */
  public OtlpExporterBuilder clientTls(byte[] privateKeyPem, byte[] certificatePem) {
    this.clientKeyPem = Objects.requireNonNull(privateKeyPem, "privateKeyPem").clone();
    this.clientCertificatePem = Objects.requireNonNull(certificatePem, "certificatePem").clone();
    return this;
  }

  /** Whether each point carries {@code sandbox.run_id}; default off. */
  public OtlpExporterBuilder emitRunId(boolean emitRunId) {
    this.emitRunId = emitRunId;
    return this;
  }

  /** Whether each point carries {@code sandbox.pid}; default off. */
  public OtlpExporterBuilder emitPid(boolean emitPid) {
    this.emitPid = emitPid;
    return this;
  }

  /**
   * How long one request may take before it counts as a retryable failure; default {@link
   * #DEFAULT_REQUEST_TIMEOUT}. Keep it at or below the collector's export timeout.
   */
  public OtlpExporterBuilder requestTimeout(Duration requestTimeout) {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    this.requestTimeout = requestTimeout;
    return this;
  }

  /**
   * The most protobuf bytes (uncompressed, estimated from above) one request may carry; a flush
   * with more is sent as several requests, split between samples, oldest first. Default {@value
   * #DEFAULT_MAX_REQUEST_BYTES}. Raise it only when the receiver accepts bigger messages (for
   * example the Collector's {@code max_recv_msg_size_mib}).
   *
   * <p>When a flush is split and a later request fails, the whole batch is retried, so the requests
   * that had already succeeded are sent again (at-least-once delivery; the points are identical,
   * same series and same timestamps).
   */
  public OtlpExporterBuilder maxRequestBytes(long maxRequestBytes) {
    if (maxRequestBytes < 64 * 1024) {
      throw new IllegalArgumentException("maxRequestBytes must be >= 65536: " + maxRequestBytes);
    }
    this.maxRequestBytes = maxRequestBytes;
    return this;
  }

  // A test hook, so not public: the clock of the collector telemetry points' time.
  OtlpExporterBuilder timeSource(TimeSource timeSource) {
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    return this;
  }

  /**
   * Validates the configuration and creates the exporter (which opens no connection until the first
   * export).
   *
   * @throws IllegalArgumentException when the endpoint is missing or malformed (including a port
   *     outside 1-65535), or the TLS material does not parse or cannot be used with the endpoint
   */
  public OtlpExporter build() {
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint is required");
    }
    URI uri = parseEndpoint(endpoint);
    boolean https = uri.getScheme().equals("https");
    if (!https && trustedCertificatesPem != null) {
      throw new IllegalArgumentException(
          "a trusted CA certificate needs an https:// endpoint, got " + uri.getScheme() + "://");
    }
    if (!https && clientKeyPem != null) {
      throw new IllegalArgumentException(
          "a client certificate needs an https:// endpoint, got " + uri.getScheme() + "://");
    }
    TlsMaterial tls =
        https && (trustedCertificatesPem != null || clientKeyPem != null)
            ? TlsMaterial.create(trustedCertificatesPem, clientKeyPem, clientCertificatePem)
            : null;
    return new OtlpExporter(this, tls, maxRequestBytes);
  }

  private static URI parseEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("endpoint is not a URL: " + e.getMessage());
    }
    // lower case only, as the SDK's exporters accept it
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "endpoint must start with http:// or https://, got " + endpoint);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint has no host: " + endpoint);
    }
    // -1: no port given, the scheme's default; otherwise both transports refuse it at every export
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw new IllegalArgumentException(
          "endpoint port " + uri.getPort() + " is out of range (1-65535)");
    }
    return uri;
  }
}
