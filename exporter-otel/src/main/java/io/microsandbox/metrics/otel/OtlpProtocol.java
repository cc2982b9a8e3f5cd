package io.microsandbox.metrics.otel;

/** The OTLP transport an {@link OtlpExporter} speaks. */
public enum OtlpProtocol {
  /** OTLP over gRPC (usually port 4317); the endpoint is {@code http(s)://host:port}. */
  GRPC,
  /**
   * OTLP over HTTP with a binary protobuf body (usually port 4318); the endpoint is the full URL,
   * used exactly as given (usually ending in {@code /v1/metrics}).
   */
  HTTP_PROTOBUF
}
