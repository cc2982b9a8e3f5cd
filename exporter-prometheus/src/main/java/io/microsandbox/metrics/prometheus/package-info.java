/**
 * Prometheus pull exposition of the collector's latest collection.
 *
 * <pre>
 *  collect loop --(every collection, flushOnCollect)--> PrometheusExporter.export(batch)
 *                                                        builds MetricSnapshots once
 *                                                        (ExpositionBuilder), keeps the latest
 *  scrape: GET /metrics --Accept--> PrometheusExporter.scrape(accept) --> text 0.0.4 |
 *                                    AcceptHeader: the most preferred    OpenMetrics | protobuf
 *                                    served format by q-value; encodes
 *                                    the kept snapshots
 * </pre>
 *
 * <p>The HTTP server is not here: {@code msb-metrics-endpoints} serves {@link
 * io.microsandbox.metrics.prometheus.PrometheusExporter#scrape(String)} on {@code /metrics} next to
 * the probes ({@code Endpoints.builder(running).metrics(prometheus)}), or an embedder calls it from
 * their own server.
 */
@NullMarked
package io.microsandbox.metrics.prometheus;

import org.jspecify.annotations.NullMarked;
