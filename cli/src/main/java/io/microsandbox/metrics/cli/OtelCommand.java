package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.otel.EndpointRedaction;
import io.microsandbox.metrics.otel.OtlpCompression;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpExporterBuilder;
import io.microsandbox.metrics.otel.OtlpProtocol;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics otel}: collects on an interval and ships every flush to an OTLP backend (gRPC
 * or HTTP/protobuf) as one request, each point at its own sample time.
 *
 * <p>Every flag is checked before anything starts: a bad value, an unreadable file or a combination
 * that cannot work is a one-line error naming the flag, exit code 2.
 */
@Command(
    name = "otel",
    mixinStandardHelpOptions = true,
    modelTransformer = OtelCommand.OtelDefaults.class,
    description = {
      "Ships per-sandbox metrics to an OpenTelemetry backend over OTLP.",
      "",
      "Headers also come from OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_METRICS_HEADERS"
          + " (k=v,k2=v2, values URL-encoded), so secrets stay out of ps; --header wins, then the"
          + " METRICS variable. Header values are never logged.",
      "Byte values above 2^63-1 (never real) are sent clamped to 2^63-1, never negative.",
      ""
    })
final class OtelCommand implements Callable<Integer> {
  private static final Logger logger = LoggerFactory.getLogger(OtelCommand.class);

  static final String ENV_HEADERS = OtlpExporterBuilder.ENV_HEADERS;
  static final String ENV_METRICS_HEADERS = OtlpExporterBuilder.ENV_METRICS_HEADERS;

  /** The builder's names of the OTLP settings, as the flags that set them. */
  private static final Map<String, String> FLAG_OF_SETTING =
      Map.of(
          "endpoint", "--endpoint",
          "trustedCertificates", "--ca-cert",
          "clientTls.privateKeyPem", "--client-key",
          "clientTls.certificatePem", "--client-cert",
          "header", "--header",
          "resourceAttribute", "--resource",
          "requestTimeout", "--export-timeout");

  /** Values of {@code --protocol}. */
  enum Protocol {
    GRPC(OtlpProtocol.GRPC),
    HTTP(OtlpProtocol.HTTP_PROTOBUF);

    final OtlpProtocol otlp;

    Protocol(OtlpProtocol otlp) {
      this.otlp = otlp;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Values of {@code --compression}. */
  enum Compression {
    NONE(OtlpCompression.NONE),
    GZIP(OtlpCompression.GZIP);

    final OtlpCompression otlp;

    Compression(OtlpCompression otlp) {
      this.otlp = otlp;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "URL",
      description = {
        "grpc: http(s)://host:4317. http: the full URL, used exactly as given,"
            + " usually http(s)://host:4318/v1/metrics."
      })
  String endpoint;

  @Option(
      names = "--protocol",
      paramLabel = "PROTOCOL",
      defaultValue = "grpc",
      description = "grpc or http (protobuf body) (default: ${DEFAULT-VALUE}).")
  Protocol protocol;

  @Option(
      names = "--compression",
      paramLabel = "ALGO",
      defaultValue = "none",
      description = "none or gzip, on either protocol (default: ${DEFAULT-VALUE}, as upstream).")
  Compression compression;

  @Option(
      names = "--ca-cert",
      paramLabel = "PEM",
      description = "CA certificate(s) trusted in addition to the system's; needs https://.")
  Path caCert;

  @Option(
      names = "--client-cert",
      paramLabel = "PEM",
      description = "Client certificate for mutual TLS (with --client-key); needs https://.")
  Path clientCert;

  @Option(
      names = "--client-key",
      paramLabel = "PEM",
      description = "Unencrypted PKCS#8 or PKCS#1 private key of --client-cert.")
  Path clientKey;

  @Option(
      names = "--header",
      paramLabel = "KEY=VALUE",
      description = "Request header (repeatable), e.g. Authorization=Bearer\\ token.")
  List<String> headers = new ArrayList<>();

  @Mixin AttributeOptions attributes;

  @Mixin CollectorOptions collector;

  @Mixin ExportOptions export;

  @Mixin ListenOptions listen;

  /** {@code --spool-dir} and its settings. */
  @Mixin SpoolOptions spool;

  @Spec CommandSpec spec;

  /** The environment headers are read from; replaced by tests. */
  Map<String, String> env = System.getenv();

  /**
   * Completed to stop the running command; by default SIGINT / SIGTERM / SIGHUP. Replaced by tests.
   */
  @Nullable CompletableFuture<String> stop;

  @Override
  public Integer call() throws InterruptedException {
    OtlpExporter exporter = exporter();
    return run(
        exporter,
        stop != null ? stop : UntilSignal.signals(),
        running -> logger.info("exporting over OTLP: {}", exporter));
  }

  /**
   * Runs the collector of these options with {@code exporter} (under the spool options) until
   * {@code stop}; {@code --listen} serves next to it with this command's attributes. Also the
   * demo's run.
   *
   * @return the exit code (see {@link CollectorRun#run})
   */
  int run(
      MetricsExporter exporter, CompletableFuture<String> stop, Consumer<RunningCollector> onStart)
      throws InterruptedException {
    CommandLine cli = spec.commandLine();
    MetricsCollector.Builder builder =
        export
            .applyTo(collector.applyTo(MetricsCollector.builder()))
            // the backend sees data with the first collection, not one flush interval after start
            .firstExportAtFirstCollection(true)
            .register(exporter, spool.exporterConfig());
    return CollectorRun.run(
        cli,
        builder,
        listen,
        attributes.emitRunId(),
        attributes.emitPid(),
        attributes.resource(cli),
        stop,
        export.exportTimeout(),
        onStart);
  }

  /** The collector, export and spool flags' library defaults. */
  static final class OtelDefaults implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      new ExportOptions.WithCollectorDefaults().transform(spec);
      return new SpoolOptions.Defaults().transform(spec);
    }
  }

  /**
   * Validates every OTLP flag and builds the exporter.
   *
   * @throws CommandLine.ParameterException naming the offending flag (exit code 2)
   */
  OtlpExporter exporter() {
    URI uri = endpointUri();
    boolean https = uri.getScheme().equals("https");
    if (caCert != null) {
      requireHttps(https, "--ca-cert");
    }
    if ((clientCert == null) != (clientKey == null)) {
      throw usage(
          clientCert == null
              ? "--client-key needs --client-cert"
              : "--client-cert needs --client-key");
    }
    if (clientCert != null) {
      requireHttps(https, "--client-cert");
    }
    try {
      OtlpExporterBuilder b =
          OtlpExporter.builder()
              .endpoint(endpoint)
              .protocol(protocol.otlp)
              .compression(compression.otlp)
              .requestTimeout(export.exportTimeout())
              .emitRunId(attributes.emitRunId())
              .emitPid(attributes.emitPid())
              // precedence, lowest first: generic variable, metrics variable, --header
              .headersFromEnvironment(env)
              .headers(pairs(headers, "--header", false))
              .resourceAttributes(attributes.resource(spec.commandLine()));
      if (caCert != null) {
        b.trustedCertificates(read(caCert, "--ca-cert"));
      }
      if (clientCert != null) {
        b.clientTls(read(clientKey, "--client-key"), read(clientCert, "--client-cert"));
      }
      return b.build();
    } catch (InvalidSettingException e) {
      // the environment's variables name themselves; every other setting is one of our flags
      String flag = FLAG_OF_SETTING.get(e.setting());
      throw usage(flag == null ? e.getMessage() : flag + ": " + e.getMessage());
    }
  }

  private URI endpointUri() {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw usage(
          "--endpoint: not a URL (" + e.getReason() + "): " + EndpointRedaction.redact(endpoint));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw usage(
          "--endpoint: expected http(s)://host:port"
              + (protocol == Protocol.HTTP ? "/v1/metrics" : "")
              + ", got '"
              + EndpointRedaction.redact(endpoint)
              + "'");
    }
    // an HTTP endpoint not ending in /v1/metrics is warned about once, by the exporter's builder
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (protocol == Protocol.GRPC && !path.isEmpty() && !path.equals("/")) {
      logger.warn(
          "--endpoint {} has a path, which gRPC ignores; did you mean --protocol http?",
          EndpointRedaction.redact(endpoint));
    }
    return uri;
  }

  private void requireHttps(boolean https, String flag) {
    if (!https) {
      throw usage(
          flag + " needs an https:// --endpoint, got '" + EndpointRedaction.redact(endpoint) + "'");
    }
  }

  private byte[] read(Path file, String flag) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw usage(flag + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Map<String, String> pairs(List<String> entries, String flag, boolean showValue) {
    return pairs(spec.commandLine(), entries, flag, showValue);
  }

  /**
   * Parses KEY=VALUE entries of {@code flag} (also for {@code prometheus --resource}); values of
   * headers ({@code showValue} false) never appear in errors.
   *
   * @throws CommandLine.ParameterException naming the flag (exit code 2)
   */
  static Map<String, String> pairs(
      CommandLine cli, List<String> entries, String flag, boolean showValue) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new CommandLine.ParameterException(
            cli,
            flag
                + ": expected KEY=VALUE"
                + (showValue ? ", got '" + entry + "'" : " (value not shown)"));
      }
      out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return out;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
