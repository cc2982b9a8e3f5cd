package io.microsandbox.metrics.collector.spool;

/**
 * Opens spools; found through {@link java.util.ServiceLoader} when an exporter's configuration
 * names a spool directory (the {@code msb-metrics-spool} module registers one).
 */
public interface SpoolProvider {
  /**
   * Opens (or creates) the spool of one exporter. Never fails for an unusable directory or
   * unreadable contents: those are logged, moved aside or retried later by the spool itself.
   *
   * @param exporterName the exporter's collector-unique name, for log lines
   * @param settings the spool's directory, caps and sync policy
   * @throws SpoolInUseException when another process holds the directory
   */
  CollectionSpool open(String exporterName, SpoolSettings settings);
}
