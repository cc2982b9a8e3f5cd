/**
 * Implementation of the registry reader and writer (the layout itself is public: {@code
 * RegistryLayout}); not API, may change at any time.
 *
 * <pre>
 *   Posix            JNA: shm_open, fstat, mmap, munmap, kill (the only platform-specific code)
 *   Mapping          one mmap + little-endian VarHandles for acquire/release/CAS access
 *   RegistryAttacher open read-only, wait for the header, validate, map; detect recreation
 *   SlotReader       the seqlock read of one slot (bounded retries)
 *   OwnerLiveness    dead-owner detection without a kill() per slot per scan
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.registry.internal;

import org.jspecify.annotations.NullMarked;
