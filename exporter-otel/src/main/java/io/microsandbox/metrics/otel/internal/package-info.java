/**
 * Internals of the OTLP exporter: not API, may change without notice.
 *
 * <pre>
 *   ExportBatch --OtlpRequestEncoder--&gt; ExportMetricsServiceRequest bytes, request by request
 *               splits it (RequestPlan: exact sizes, never above the limit);
 *               MetricsRequestWriter writes each request (ProtoWriter, OtlpFieldNumbers;
 *               SandboxSeries + CollectorSeries); SandboxAttributeCache keeps each
 *               sandbox's attribute bytes (SandboxAttributes)
 *   bytes       --GrpcTransport / HttpTransport--&gt; SendResult (status, retry delay,
 *               PartialSuccess; GzipBuffer when compressed; TCP_NODELAY)
 *   SendResult  --ExportFailures--&gt; ExportResult (retryable / rejected)
 *   PEM bytes   --TlsMaterial--&gt; SSLContext (system trust + CA, optional client key)
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.otel.internal;

import org.jspecify.annotations.NullMarked;
