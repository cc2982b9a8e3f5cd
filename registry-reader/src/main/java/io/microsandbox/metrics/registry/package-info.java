/**
 * Reads microsandbox's live-metrics registry, a POSIX shared-memory object with one 512-byte slot
 * per sandbox (layout version 3), coherently and without ever writing to it.
 *
 * <pre>
 *   RegistryName.resolve(--msb-home, env)  ->  "/msb-met-&lt;fnv1a64(home)&gt;-v3"
 *                                                   |
 *   RegistryReader.open(name) --scan(includeStale)--> RegistryScan
 *        |  shm_open O_RDONLY + mmap PROT_READ           exists, capacity, skippedSlots
 *        |  seqlock read per slot                         List&lt;SandboxSnapshot&gt; (slot order)
 *        '  dead owner -> STALE, never written back            SampleField values (unsigned)
 * </pre>
 *
 * <p>A missing registry is "no sandboxes"; a corrupt one is a {@link
 * io.microsandbox.metrics.registry.RegistryException} with a one-line message; one unreadable slot
 * is skipped and counted. The byte layout is public ({@link
 * io.microsandbox.metrics.registry.RegistryLayout}), and so is the protocol-following writer used
 * by tests and the simulator ({@code io.microsandbox.metrics.registry.writer}).
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.registry;

import org.jspecify.annotations.NullMarked;
