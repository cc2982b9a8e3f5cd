/**
 * Internals of the OTLP exporter: not API, may change without notice.
 *
 * <pre>
 *   ExportBatch --OtlpRequestEncoder-&gt; ExportMetricsServiceRequest bytes, request by request
 *               (ProtoWriter; SandboxSeries + CollectorSeries; attribute bytes kept per sandbox)
 *   ExportBatch --Sample.of/split--&gt; samples per request
 *               --BatchEncoder-----&gt; MetricData per series (core SandboxSeries, Unsigned rule)
 *               --TelemetrySeries---&gt; collector series at export time
 *   SDK failure --ExportFailures---&gt; ExportResult (retryable / rejected)
 *   PEM bytes   --TlsMaterial------&gt; SSLContext (system trust + CA, optional client key)
 *   SDK exporter --SenderLoader----&gt; JdkHttpSender (HTTP) / GrpcOkHttpSender (gRPC):
 *                                    TCP_NODELAY, Retry-After / RetryInfo, PartialSuccess
 * </pre>
 */
package io.microsandbox.metrics.otel.internal;
