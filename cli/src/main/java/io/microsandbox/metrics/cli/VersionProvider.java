package io.microsandbox.metrics.cli;

import picocli.CommandLine;

/** {@code --version}: the project version recorded in the jar at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = MsbMetrics.class.getPackage().getImplementationVersion();
    return new String[] {"msb-metrics " + (v == null ? "dev" : v)};
  }
}
