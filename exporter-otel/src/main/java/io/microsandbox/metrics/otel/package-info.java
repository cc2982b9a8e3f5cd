/**
 * Ships the collector's batches to an OpenTelemetry backend over OTLP (gRPC or HTTP/protobuf).
 *
 * <p>{@link io.microsandbox.metrics.otel.OtlpExporter} is a {@link
 * io.microsandbox.metrics.collector.MetricsExporter}: register it with a {@code MetricsCollector}
 * and every flush of the buffered collections becomes one OTLP request (split only above {@link
 * io.microsandbox.metrics.otel.OtlpExporterBuilder#maxRequestBytes(long)}), in which every data
 * point carries the time of its own sample.
 *
 * <pre>
 *   ExportBatch (N collections x M sandboxes)
 *        |  OtlpRequestEncoder: protobuf bytes per request, one metric per series name,
 *        |  N x M points each, point time = sampled_at; split at maxRequestBytes
 *        v
 *   GrpcTransport (OkHttp, HTTP/2) / HttpTransport (JDK HttpClient)
 *        |  typed result per request -&gt; ExportResult (success / retryable / rejected,
 *        |  and how many leading collections were delivered)
 *        v
 *   Collector, Alloy, Prometheus OTLP receiver, ...
 * </pre>
 *
 * <p>Retries belong to the collector's worker (backoff, buffer cap); the transports underneath
 * never retry a request on their own (OkHttp only replaces a dead pooled connection), so one retry
 * mechanism decides when a batch is sent again.
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.otel;

import org.jspecify.annotations.NullMarked;
