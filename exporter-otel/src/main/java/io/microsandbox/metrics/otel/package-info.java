/** OTLP export of sandbox samples. */
package io.microsandbox.metrics.otel;
