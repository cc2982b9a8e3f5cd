/**
 * A writer of the microsandbox metrics registry that follows microsandbox's own protocol (create,
 * reserve, activate, write sample under the seqlock, release).
 *
 * <p><b>For tests, benchmarks and the {@code demo} only: the collector never writes to the
 * registry.</b>
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
package io.microsandbox.metrics.registry.writer;
