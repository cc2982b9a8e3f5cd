/**
 * Micrometer binding: a running collector's sandboxes and telemetry as meters of the application's
 * own {@code MeterRegistry}.
 *
 * <pre>
 *  collect loop --publishes--> RunningCollector.latest()   (heap, lock-free)
 *                                     |
 *   refresh thread (every collect interval) --reconcile--> meters added / removed per sandbox
 *                                     |
 *   registry poll (a scrape, a push) --Gauge/FunctionCounter--> the sandbox's latest values
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.micrometer;

import org.jspecify.annotations.NullMarked;
