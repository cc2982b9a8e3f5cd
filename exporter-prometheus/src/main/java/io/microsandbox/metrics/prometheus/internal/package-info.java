/**
 * The exposition's machinery; not API.
 *
 * <pre>
 *  SnapshotCollection + CollectorTelemetry --ExpositionBuilder--> MetricSnapshots
 *    catalog label keys --PrometheusLabelNames.sanitize / sanitizeAll--> valid label names
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.prometheus.internal;

import org.jspecify.annotations.NullMarked;
