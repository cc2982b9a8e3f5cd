package io.microsandbox.metrics.endpoints;

import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.endpoints.internal.PrometheusRoute;
import io.microsandbox.metrics.endpoints.internal.StatusJson;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The health, readiness and status endpoints of a running collector, plus any GET route added (such
 * as {@code /metrics}), as one server-neutral handler: {@link #handle(String, String, String)} maps
 * a method, path and {@code Accept} header to a {@link Response}. Serve it with {@link
 * EndpointServer}, or call it from your own server's handler or servlet.
 *
 * <pre>
 *   GET /-/healthy  200 "ok" while the collect loop ticks; 503 with a one-line reason when it has
 *                   finished no tick for {@value #UNHEALTHY_AFTER_INTERVALS} collect intervals.
 *                   Export failures never fail it (a restart would only lose the buffer).
 *   GET /-/ready    200 once the first collection completed (and every extra readiness condition
 *                   holds), 503 before
 *   GET /status     JSON: settings, registry, latest collection, every exporter's pipeline,
 *                   build version; never an endpoint, header value or credential
 *   GET /metrics    (or any path added with {@link Builder#route}); {@link Builder#metrics} mounts
 *                   a PrometheusExporter there in one call
 *   HEAD            the GET answer (the server sends its headers without the body)
 *   other path 404, other method 405
 * </pre>
 *
 * <p>Every answer is computed from {@link RunningCollector#status()}, which never waits for the
 * collect loop or an exporter: a stuck loop makes the probes answer 503, never hang.
 */
public final class Endpoints {
  /** Collect intervals without a finished tick after which {@code /-/healthy} answers 503. */
  public static final int UNHEALTHY_AFTER_INTERVALS = 5;

  private final Supplier<CollectorStatus> status;
  private final @Nullable Duration unhealthyAfter; // null: a multiple of the collect interval
  private final BooleanSupplier extraReadiness;
  private final String version;
  private final Map<String, Route> routes;

  private Endpoints(Builder b) {
    this.status = b.status;
    this.unhealthyAfter = b.unhealthyAfter;
    this.extraReadiness = b.readiness;
    this.version = b.version;
    this.routes = Map.copyOf(b.routes);
  }

  /**
   * A builder for the endpoints of {@code collector}.
   *
   * @param collector the collector whose status the endpoints report
   */
  public static Builder builder(RunningCollector collector) {
    Objects.requireNonNull(collector, "collector");
    return new Builder(collector::status);
  }

  /**
   * Answers one request. HEAD is answered like GET; the caller sends the headers (with the GET
   * body's length) and leaves the body out.
   *
   * @param method the HTTP method
   * @param path the request path, a query string is ignored
   * @param accept the {@code Accept} header, or null
   * @return the answer; never null, never throws for bad input
   */
  public Response handle(String method, @Nullable String path, @Nullable String accept) {
    String p = withoutQuery(path);
    Route route = routes.get(p);
    boolean known =
        route != null || p.equals("/-/healthy") || p.equals("/-/ready") || p.equals("/status");
    if (!known) {
      return Response.text(404, "not found: try /metrics, /-/healthy, /-/ready or /status");
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Response.text(405, "method not allowed: only GET and HEAD");
    }
    if (route != null) {
      return route.get(accept);
    }
    CollectorStatus s = status.get();
    switch (p) {
      case "/-/healthy":
        String reason = unhealthyReason(s);
        return reason == null ? Response.text(200, "ok") : Response.text(503, reason);
      case "/-/ready":
        return ready(s) ? Response.text(200, "ready") : Response.text(503, notReadyReason(s));
      case "/status":
      default:
        return new Response(
            200,
            "application/json",
            StatusJson.write(s, version, unhealthyReason(s) == null, ready(s)));
    }
  }

  /**
   * Whether {@code path} is an added route (its answer may take a while to compute, such as a
   * scrape), rather than a built-in endpoint answered at once from the status.
   */
  boolean isRoute(@Nullable String path) {
    return routes.containsKey(withoutQuery(path));
  }

  private static String withoutQuery(@Nullable String path) {
    String p = path == null ? "" : path;
    int q = p.indexOf('?');
    return q >= 0 ? p.substring(0, q) : p;
  }

  /** The one-line reason the collector is not live, or null when it is. */
  private @Nullable String unhealthyReason(CollectorStatus s) {
    Duration limit =
        unhealthyAfter != null
            ? unhealthyAfter
            : s.collectInterval().multipliedBy(UNHEALTHY_AFTER_INTERVALS);
    if (s.sinceLastTick().compareTo(limit) <= 0) {
      return null;
    }
    return "unhealthy: the collect loop finished no tick for "
        + s.sinceLastTick().toMillis()
        + " ms (limit "
        + limit.toMillis()
        + " ms; a registry read or the label source is stuck)";
  }

  private boolean ready(CollectorStatus s) {
    return s.collections() > 0 && extraReadiness.getAsBoolean();
  }

  private static String notReadyReason(CollectorStatus s) {
    if (s.collections() == 0) {
      return "not ready: no collection completed yet"
          + s.lastReadError().map(e -> " (reading fails: " + StatusJson.redact(e) + ")").orElse("");
    }
    return "not ready: the first collection has not reached every exporter yet";
  }

  /** Configures {@link Endpoints}. */
  public static final class Builder {
    private final Supplier<CollectorStatus> status;
    private @Nullable Duration unhealthyAfter;
    private BooleanSupplier readiness = () -> true;
    private String version = MetricsCollector.version();
    private final Map<String, Route> routes = new LinkedHashMap<>();

    private Builder(Supplier<CollectorStatus> status) {
      this.status = status;
    }

    /**
     * Adds a GET route, for example {@code route("/metrics", a -> ...)}.
     *
     * @throws InvalidSettingException naming {@code route} when {@code path} does not start with
     *     {@code /} or is one of the built-in paths
     */
    public Builder route(String path, Route route) {
      Objects.requireNonNull(route, "route");
      if (path == null || !path.startsWith("/")) {
        throw new InvalidSettingException("route", "route path must start with /, got " + path);
      }
      if (path.equals("/-/healthy") || path.equals("/-/ready") || path.equals("/status")) {
        throw new InvalidSettingException("route", "route path " + path + " is built in");
      }
      routes.put(path, route);
      return this;
    }

    /**
     * Serves {@code prometheus}'s scrape on {@code /metrics}, negotiated by the request's {@code
     * Accept} header, and holds readiness back until it has its first collection: the one call an
     * embedder needs next to {@code register(prometheus, PrometheusExporter.exporterConfig())}.
     *
     * @param prometheus the exporter registered on the collector
     * @return this builder
     */
    public Builder metrics(PrometheusExporter prometheus) {
      Objects.requireNonNull(prometheus, "prometheus");
      route("/metrics", PrometheusRoute.of(prometheus));
      return readyWhen(PrometheusRoute.hasCollection(prometheus));
    }

    /**
     * How long the collect loop may go without finishing a tick before {@code /-/healthy} answers
     * 503. Default: {@value Endpoints#UNHEALTHY_AFTER_INTERVALS} collect intervals.
     *
     * @throws InvalidSettingException naming {@code unhealthyAfter} when it is not positive
     */
    public Builder unhealthyAfter(Duration unhealthyAfter) {
      if (unhealthyAfter == null || unhealthyAfter.isNegative() || unhealthyAfter.isZero()) {
        throw new InvalidSettingException(
            "unhealthyAfter", "unhealthyAfter must be positive, got " + unhealthyAfter);
      }
      this.unhealthyAfter = unhealthyAfter;
      return this;
    }

    /**
     * An extra readiness condition, for example that a pull exporter holds its first collection
     * ({@code PrometheusExporter::hasCollection}).
     */
    public Builder readyWhen(BooleanSupplier condition) {
      BooleanSupplier before = readiness;
      Objects.requireNonNull(condition, "condition");
      readiness = () -> before.getAsBoolean() && condition.getAsBoolean();
      return this;
    }

    /** The version {@code /status} reports. Default: this library's build version. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Builds the endpoints. */
    public Endpoints build() {
      return new Endpoints(this);
    }
  }
}
