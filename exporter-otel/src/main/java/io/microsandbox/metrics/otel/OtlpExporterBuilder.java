package io.microsandbox.metrics.otel;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.otel.internal.TlsMaterial;
import io.microsandbox.metrics.registry.TimeSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Configures an {@link OtlpExporter}. Only {@link #endpoint(String)} is required; every other
 * setting has the default of the {@code msb-metrics otel} command.
 *
 * <p>Setters check what they can at once; {@link #build()} validates the whole configuration (URL
 * scheme, TLS files that parse, the combinations that can work). Either throws {@link
 * InvalidSettingException} with a one-line message, its {@link InvalidSettingException#setting()}
 * naming the setter (or the environment variable) the bad value came from, so a bad configuration
 * fails before anything starts.
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

  /** The standard variable of headers for every OTLP signal: {@code k=v,k2=v2}, URL-encoded. */
  public static final String ENV_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";

  /** The standard variable of headers for OTLP metrics; wins over {@link #ENV_HEADERS}. */
  public static final String ENV_METRICS_HEADERS = "OTEL_EXPORTER_OTLP_METRICS_HEADERS";

  // connection-level headers: the HTTP clients refuse them, HTTP/2 (gRPC) forbids them
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "te");

  /** The path OTLP/HTTP receivers take metrics on. */
  static final String METRICS_PATH = "/v1/metrics";

  @Nullable String endpoint;
  OtlpProtocol protocol = OtlpProtocol.GRPC;
  OtlpCompression compression = OtlpCompression.NONE;
  final Map<String, String> headers = new LinkedHashMap<>();
  // from ENV_HEADERS then ENV_METRICS_HEADERS; header() calls win over them at build()
  private final Map<String, String> environmentHeaders = new LinkedHashMap<>();
  final Map<String, String> resourceAttributes = new LinkedHashMap<>();
  byte @Nullable [] trustedCertificatesPem;
  byte @Nullable [] clientKeyPem;
  byte @Nullable [] clientCertificatePem;
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
    putHeader(headers, key, value, "header");
    return this;
  }

  /** Adds every header of {@code headers}, as {@link #header(String, String)}. */
  public OtlpExporterBuilder headers(Map<String, String> headers) {
    headers.forEach(this::header);
    return this;
  }

  /**
   * Also sends the headers of the standard variables {@value #ENV_HEADERS} and {@value
   * #ENV_METRICS_HEADERS} of the process environment, as {@link #headersFromEnvironment(Map)}.
   */
  public OtlpExporterBuilder headersFromEnvironment() {
    return headersFromEnvironment(System.getenv());
  }

  /**
   * Also sends the headers of the standard variables {@value #ENV_HEADERS} and {@value
   * #ENV_METRICS_HEADERS} of {@code environment}: {@code k=v,k2=v2}, keys and values trimmed,
   * values URL-decoded. Precedence, lowest first: {@value #ENV_HEADERS}, {@value
   * #ENV_METRICS_HEADERS}, then {@link #header} whenever it is called. Opt-in, because these
   * variables may be meant for another OTLP endpoint of the same process; keeping secrets in them
   * keeps them out of command lines.
   *
   * @throws InvalidSettingException whose setting is the variable's name, when an entry is not
   *     {@code key=value}, not valid URL encoding, or not a valid header (values never shown)
   */
  public OtlpExporterBuilder headersFromEnvironment(Map<String, String> environment) {
    for (String variable : new String[] {ENV_HEADERS, ENV_METRICS_HEADERS}) {
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (String entry : value.split(",")) {
        if (entry.isBlank()) {
          continue;
        }
        int eq = entry.indexOf('=');
        if (eq <= 0 || entry.substring(0, eq).isBlank()) {
          throw new InvalidSettingException(
              variable, variable + ": expected key=value,key2=value2 (values not shown)");
        }
        String decoded;
        try {
          decoded = URLDecoder.decode(entry.substring(eq + 1).trim(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new InvalidSettingException(
              variable, variable + ": a value is not valid URL encoding (values not shown)");
        }
        putHeader(environmentHeaders, entry.substring(0, eq).trim(), decoded, variable);
      }
    }
    return this;
  }

  /** The headers sent: those of the environment overridden by those set with {@link #header}. */
  Map<String, String> effectiveHeaders() {
    Map<String, String> out = new LinkedHashMap<>(environmentHeaders);
    headers.forEach(
        (k, v) -> {
          out.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
          out.put(k, v);
        });
    return out;
  }

  // One header into `into`, replacing the same key in any case; `setting` is where it came from.
  private static void putHeader(
      Map<String, String> into, String key, String value, String setting) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    String prefix = setting.equals("header") ? "" : setting + ": ";
    if (key.isBlank()) {
      throw new InvalidSettingException(setting, prefix + "header key is empty");
    }
    if (TRANSPORT_HEADERS.contains(key.trim().toLowerCase(Locale.ROOT))) {
      throw new InvalidSettingException(
          setting, prefix + "header " + key + " is set by the transport itself");
    }
    if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      throw new InvalidSettingException(
          setting, prefix + "header name " + key + " is not a valid HTTP header name");
    }
    // printable ASCII and tabs only: both transports refuse anything else (value not shown)
    if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
      throw new InvalidSettingException(
          setting,
          prefix + "header " + key + " has a value that is not printable ASCII (value not shown)");
    }
    into.keySet().removeIf(k -> k.equalsIgnoreCase(key));
    into.put(key, value);
  }

  /**
   * Adds or overrides a resource attribute; the defaults are {@code service.name=microsandbox} and
   * {@code service.instance.id=<hostname>} (when the hostname can be found).
   */
  public OtlpExporterBuilder resourceAttribute(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new InvalidSettingException("resourceAttribute", "resource attribute key is empty");
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
   * #DEFAULT_REQUEST_TIMEOUT}. Keep it at or below the collector's export timeout; at most {@link
   * MetricsCollector#LONGEST_DURATION}.
   */
  public OtlpExporterBuilder requestTimeout(Duration requestTimeout) {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new InvalidSettingException(
          "requestTimeout", "requestTimeout must be positive: " + requestTimeout);
    }
    if (requestTimeout.compareTo(MetricsCollector.LONGEST_DURATION) > 0) {
      throw new InvalidSettingException(
          "requestTimeout",
          "requestTimeout must be at most "
              + MetricsCollector.LONGEST_DURATION.toDays()
              + " days: "
              + requestTimeout);
    }
    this.requestTimeout = requestTimeout;
    return this;
  }

  /**
   * The most protobuf bytes (uncompressed) one request may carry; a flush with more is sent as
   * several requests, split between samples, oldest first. Default {@value
   * #DEFAULT_MAX_REQUEST_BYTES}. Raise it only when the receiver accepts bigger messages (for
   * example the Collector's {@code max_recv_msg_size_mib}).
   *
   * <p>The size is exact, and no request exceeds it: a sample too large for any request (huge
   * labels) is sent with its largest labels dropped until it fits (one WARN per sandbox and label
   * set). When a flush is split and a request fails, the collections completed by the requests
   * already accepted leave the buffer; only the rest is retried (a collection split across the
   * failed boundary is sent again whole: its first points twice, identical).
   */
  public OtlpExporterBuilder maxRequestBytes(long maxRequestBytes) {
    if (maxRequestBytes < 64 * 1024) {
      throw new InvalidSettingException(
          "maxRequestBytes", "maxRequestBytes must be >= 65536: " + maxRequestBytes);
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
   * @throws InvalidSettingException when the endpoint is missing or malformed (including a port
   *     outside 1-65535), or the TLS material does not parse or cannot be used with the endpoint
   */
  public OtlpExporter build() {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidSettingException("endpoint", "endpoint is required");
    }
    URI uri = parseEndpoint(endpoint);
    warnIfNotTheMetricsPath(uri);
    boolean https = uri.getScheme().equals("https");
    if (!https && trustedCertificatesPem != null) {
      throw new InvalidSettingException(
          TlsMaterial.CA_SETTING,
          "a trusted CA certificate needs an https:// endpoint, got " + uri.getScheme() + "://");
    }
    if (!https && clientKeyPem != null) {
      throw new InvalidSettingException(
          TlsMaterial.CLIENT_CERTIFICATE_SETTING,
          "a client certificate needs an https:// endpoint, got " + uri.getScheme() + "://");
    }
    @Nullable TlsMaterial tls =
        https && (trustedCertificatesPem != null || clientKeyPem != null)
            ? TlsMaterial.create(trustedCertificatesPem, clientKeyPem, clientCertificatePem)
            : null;
    return new OtlpExporter(this, tls, maxRequestBytes);
  }

  /**
   * OTLP/HTTP receivers answer metrics on {@code /v1/metrics} (the OpenTelemetry Collector, Alloy,
   * Prometheus's OTLP receiver under {@code /api/v1/otlp/v1/metrics}, Grafana Cloud under {@code
   * /otlp/v1/metrics}); the URL is used exactly as given, so an endpoint without that suffix is
   * usually a mistake that shows only as 404s. A warning, not an error: a proxy may map any path.
   */
  private void warnIfNotTheMetricsPath(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (protocol == OtlpProtocol.HTTP_PROTOBUF && !path.endsWith(METRICS_PATH)) {
      LoggerFactory.getLogger(OtlpExporterBuilder.class)
          .warn(
              "endpoint {} does not end in {}: OTLP/HTTP receivers expect metrics there, and the"
                  + " URL is used exactly as given",
              EndpointRedaction.redact(endpoint),
              METRICS_PATH);
    }
  }

  private static URI parseEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      throw new InvalidSettingException(
          "endpoint",
          "endpoint is not a URL (" + e.getReason() + "): " + EndpointRedaction.redact(endpoint));
    }
    // lower case only, as the SDK's exporters accept it
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidSettingException(
          "endpoint",
          "endpoint must start with http:// or https://, got "
              + EndpointRedaction.redact(endpoint));
    }
    if (uri.getHost() == null) {
      throw new InvalidSettingException(
          "endpoint", "endpoint has no host: " + EndpointRedaction.redact(endpoint));
    }
    // -1: no port given, the scheme's default; otherwise both transports refuse it at every export
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw new InvalidSettingException(
          "endpoint", "endpoint port " + uri.getPort() + " is out of range (1-65535)");
    }
    return uri;
  }
}
