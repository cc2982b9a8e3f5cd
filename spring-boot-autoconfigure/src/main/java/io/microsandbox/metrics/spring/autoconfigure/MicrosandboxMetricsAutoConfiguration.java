package io.microsandbox.metrics.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.micrometer.MicrosandboxMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of microsandbox's metrics collector (Spring Boot 3.5).
 *
 * <pre>
 *  microsandbox.metrics.*  --&gt; MetricsCollector (+ catalog, + OTLP exporter, + customizers)
 *                          --&gt; RunningCollector          started with the context
 *                          --&gt; MicrosandboxCollectorLifecycle   drains it at graceful shutdown
 *  MeterRegistry present   --&gt; MicrosandboxMetrics (a MeterBinder Boot binds to every registry)
 *  actuator present        --&gt; health component "microsandbox"
 * </pre>
 *
 * <p>Every bean backs off when the application defines its own of the same type (or name, for the
 * health indicator). {@code microsandbox.metrics.enabled=false} turns it all off.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnProperty(
    prefix = "microsandbox.metrics",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(MicrosandboxMetricsProperties.class)
public class MicrosandboxMetricsAutoConfiguration {

  /** The collector the properties and customizers describe, not started. */
  @Bean
  @ConditionalOnMissingBean
  public MetricsCollector microsandboxMetricsCollector(
      MicrosandboxMetricsProperties properties,
      ObjectProvider<MicrosandboxCollectorCustomizer> customizers) {
    return CollectorFactory.build(
        properties,
        customizers.orderedStream().toList(),
        MicrosandboxMetricsAutoConfiguration.class.getClassLoader());
  }

  /** The collector, started when the context creates it; closed (drained) with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public RunningCollector microsandboxRunningCollector(MetricsCollector collector) {
    return collector.start();
  }

  /** Drains the collector within Spring's graceful shutdown. */
  @Bean
  @ConditionalOnMissingBean
  public MicrosandboxCollectorLifecycle microsandboxCollectorLifecycle(RunningCollector collector) {
    return new MicrosandboxCollectorLifecycle(collector);
  }

  /** The Micrometer binder; Spring Boot binds every MeterBinder bean to the MeterRegistry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, MicrosandboxMetrics.class})
  static class MicrometerConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MicrosandboxMetrics microsandboxMeterBinder(RunningCollector collector) {
      return MicrosandboxMetrics.builder(collector).build();
    }
  }

  /** The {@code microsandbox} health component. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
  @ConditionalOnEnabledHealthIndicator("microsandbox")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "microsandboxHealthIndicator")
    MicrosandboxHealthIndicator microsandboxHealthIndicator(
        RunningCollector collector, MicrosandboxMetricsProperties properties) {
      return new MicrosandboxHealthIndicator(collector, properties.getHealth().getUnhealthyAfter());
    }
  }
}
