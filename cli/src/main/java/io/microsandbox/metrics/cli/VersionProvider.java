package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import picocli.CommandLine;

/** {@code --version}: the version recorded at build time, {@link MetricsCollector#version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"msb-metrics " + MetricsCollector.version()};
  }
}
