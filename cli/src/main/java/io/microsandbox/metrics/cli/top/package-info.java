/**
 * {@code msb-metrics top}: a live, top-style view of a host's sandboxes.
 *
 * <pre>
 *  RegistryReader --scan-----+
 *                            +--> TopSource.tick() --> TopModel --------> TopFrame --+--> TopRenderer --> TopScreen
 *  MetadataSource --labels,--+    (every interval)     state, rates,      rows,      |    text lines      JLine: raw
 *                  allocations                         sort, filter       totals     |                    mode, keys,
 *                                                                                    |                    redraw
 *                                                                                    +--> TopJson (JSON Lines)
 * </pre>
 *
 * <p>The model holds the only state that spans ticks (the previous sample of each run, for rates)
 * and reads time from an injected clock; rendering is a pure function of a frame and a width, so
 * both are tested without a terminal.
 */
@NullMarked
package io.microsandbox.metrics.cli.top;

import org.jspecify.annotations.NullMarked;
