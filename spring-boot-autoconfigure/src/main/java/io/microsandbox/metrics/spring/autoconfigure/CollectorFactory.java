package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.registry.RegistryName;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@link MetricsCollector} the properties describe: home, collect interval, the catalog
 * when it is on and on the class path, the OTLP exporter when an endpoint is set, then the
 * customizers.
 */
final class CollectorFactory {
  private static final String OTLP_CLASS = "io.microsandbox.metrics.otel.OtlpExporter";

  private CollectorFactory() {}

  static MetricsCollector build(
      MicrosandboxMetricsProperties p,
      List<MicrosandboxCollectorCustomizer> customizers,
      ClassLoader classLoader) {
    // one home for the registry and the catalog
    String home = RegistryName.resolveHome(p.getHome(), System.getenv());
    MetricsCollector.Builder b =
        MetricsCollector.builder().msbHome(home).collectInterval(p.getCollectInterval());
    // with msb-metrics-catalog on the class path the collector attaches it itself (ServiceLoader)
    b.attachCatalog(p.getCatalog().isEnabled());
    String endpoint = p.getOtlp().getEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      if (!ClassUtils.isPresent(OTLP_CLASS, classLoader)) {
        throw new InvalidSettingException(
            "microsandbox.metrics.otlp.endpoint",
            "microsandbox.metrics.otlp.endpoint is set but msb-metrics-exporter-otel is not on the"
                + " class path: add it as a dependency");
      }
      OtlpWiring.register(b, p.getOtlp());
    }
    for (MicrosandboxCollectorCustomizer c : customizers) {
      c.customize(b);
    }
    return b.build();
  }
}
