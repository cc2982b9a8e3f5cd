/**
 * A writer of the microsandbox metrics registry that follows microsandbox's own writer protocol
 * (create, reserve, activate, write sample under the seqlock, release), published with the reader
 * for tests and simulators: an embedder's tests, this project's tests and benchmarks, and the
 * {@code msb-metrics-simulator} behind {@code msb-metrics demo}. It follows the byte layout of
 * {@link io.microsandbox.metrics.registry.RegistryLayout}.
 *
 * <p><b>The collector never writes to the registry</b>; in production microsandbox's runtimes are
 * the only writers.
 *
 * <pre>
 *   RegistryWriter.create(name, capacity)      header: uninit -> initializing -> ready
 *        |
 *        +-- reserve(id, name, limit) -> SlotHandle   slot: free/stale -> reserved (new generation)
 *                 |-- activate(run, pid, start)         reserved -> active
 *                 |-- writeSample(sample)  x N           seq: even -> odd -> even
 *                 '-- release(stale)                    active -> stale | free (new generation)
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.registry.writer;

import org.jspecify.annotations.NullMarked;
