package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The collector's settings under {@code microsandbox.metrics.*}. */
@ConfigurationProperties(prefix = "microsandbox.metrics")
public class MicrosandboxMetricsProperties {
  /** Whether to collect microsandbox's metrics at all. */
  private boolean enabled = true;

  /**
   * The microsandbox home whose registry and catalog are read; unset means $MSB_HOME, else
   * ~/.microsandbox.
   */
  private @Nullable String home;

  /** How often the registry is read (one collection per tick). */
  private Duration collectInterval = MetricsCollector.DEFAULT_COLLECT_INTERVAL;

  private final Catalog catalog = new Catalog();

  private final Otlp otlp = new Otlp();

  private final Health health = new Health();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getHome() {
    return home;
  }

  public void setHome(@Nullable String home) {
    this.home = home;
  }

  public Duration getCollectInterval() {
    return collectInterval;
  }

  public void setCollectInterval(Duration collectInterval) {
    this.collectInterval = collectInterval;
  }

  public Catalog getCatalog() {
    return catalog;
  }

  public Otlp getOtlp() {
    return otlp;
  }

  public Health getHealth() {
    return health;
  }

  /** The catalog's labels and allocations. */
  public static class Catalog {
    /**
     * Whether each sandbox's labels and allocation are read from microsandbox's catalog (needs
     * msb-metrics-catalog, which the starter brings).
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /**
   * The project's own OTLP exporter, beside the application's registry (needs
   * msb-metrics-exporter-otel; a spool also needs msb-metrics-spool).
   */
  public static class Otlp {
    /**
     * The OTLP endpoint; unset means no OTLP exporter. gRPC: http(s)://host:4317; HTTP/protobuf:
     * the full URL ending in /v1/metrics.
     */
    private @Nullable String endpoint;

    /** The OTLP protocol: grpc or http/protobuf. */
    private String protocol = "grpc";

    /** Headers sent with every export (authentication, tenant). */
    private Map<String, String> headers = new LinkedHashMap<>();

    /**
     * A directory where collections wait on disk while the backend is unreachable, surviving a
     * restart; unset means memory only.
     */
    private @Nullable Path spoolDir;

    public @Nullable String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(@Nullable String endpoint) {
      this.endpoint = endpoint;
    }

    public String getProtocol() {
      return protocol;
    }

    public void setProtocol(String protocol) {
      this.protocol = protocol;
    }

    public Map<String, String> getHeaders() {
      return headers;
    }

    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }

    public @Nullable Path getSpoolDir() {
      return spoolDir;
    }

    public void setSpoolDir(@Nullable Path spoolDir) {
      this.spoolDir = spoolDir;
    }
  }

  /** The {@code microsandbox} health indicator. */
  public static class Health {
    /**
     * DOWN once the collect loop has finished no tick for this long; unset means 5 collect
     * intervals.
     */
    private @Nullable Duration unhealthyAfter;

    public @Nullable Duration getUnhealthyAfter() {
      return unhealthyAfter;
    }

    public void setUnhealthyAfter(@Nullable Duration unhealthyAfter) {
      this.unhealthyAfter = unhealthyAfter;
    }
  }
}
