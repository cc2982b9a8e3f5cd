/**
 * Test fixtures shared through the exporter-otel test-jar: real OTLP receivers and a throw-away
 * PKI.
 *
 * <pre>
 *   OtlpExporter --gRPC--&gt; GrpcOtlpReceiver (grpc-java, official MetricsService stubs)
 *                --HTTP--&gt; HttpOtlpReceiver (JDK HttpServer / HttpsServer, same protobuf)
 *                               |
 *                  ReceiverScript: answers (ok, N failures, hang, required header)
 *                               + log of ReceivedRequest (decoded request, headers, encoding)
 * </pre>
 *
 * <p>Both bind 127.0.0.1 on an ephemeral port. {@link
 * io.microsandbox.metrics.otel.testing.TestCertificates} makes a CA, a localhost server certificate
 * and a client certificate once per JVM.
 */
package io.microsandbox.metrics.otel.testing;
