/**
 * The exposition's machinery; not API.
 *
 * <pre>
 *  SnapshotCollection + CollectorTelemetry --ExpositionBuilder--> MetricSnapshots
 *    catalog label keys --LabelNames.sanitize / sanitizeAll--> valid label names
 * </pre>
 */
package io.microsandbox.metrics.prometheus.internal;
