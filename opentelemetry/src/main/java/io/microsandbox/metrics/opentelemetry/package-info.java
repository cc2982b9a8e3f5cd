/**
 * OpenTelemetry API bridge: a running collector's sandboxes and telemetry as observable instruments
 * of the application's own {@code OpenTelemetry}.
 *
 * <pre>
 *  collect loop --publishes--> RunningCollector.latest()   (heap, lock-free)
 *                                     |
 *  host SDK's collection (its reader's interval) --batch callback--> one point per sandbox and
 *                                                                    series, at the SDK's time
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.opentelemetry;

import org.jspecify.annotations.NullMarked;
