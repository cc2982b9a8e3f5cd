package io.microsandbox.metrics.otel;

/** How an {@link OtlpExporter} compresses request bodies, on either transport. */
public enum OtlpCompression {
  /** No compression. */
  NONE,
  /** gzip; every OTLP receiver must accept it. */
  GZIP
}
