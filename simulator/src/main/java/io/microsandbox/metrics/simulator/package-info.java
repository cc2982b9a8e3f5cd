/**
 * {@code msb-metrics demo}: a simulated microsandbox for a machine that has none. It writes a real
 * shared-memory registry (through the registry writer, exactly as microsandbox's runtimes do) and a
 * catalog under a temporary {@code MSB_HOME}; the real reader, collector and exporters ship it.
 *
 * <pre>
 *   DemoCommand ──start──> DemoRegistry ──tick every second──> /dev/shm/msb-met-&lt;hash&gt;-v3
 *        │                   │  SimulatedSandbox x N (values)        ▲
 *        │                   │  DemoTimeline (stop, restart, kill,   │ read-only
 *        │                   │    live resize)                       │
 *        │                   └─ $MSB_HOME/db/msb.db (labels,         │
 *        │                        resources, active_config)          │
 *        └──start──> MetricsCollector (RegistryReader) ─> stdout | OTLP
 * </pre>
 *
 * <p>Everything it creates (shared memory, temporary home, the stand-in runtime process) is removed
 * on every exit path: normal end, Ctrl-C, an error.
 */
@NullMarked
package io.microsandbox.metrics.simulator;

import org.jspecify.annotations.NullMarked;
