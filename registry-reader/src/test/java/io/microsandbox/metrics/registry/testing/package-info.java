/**
 * Test fixtures shared by every module's tests and benchmarks: registry-reader's test-jar ({@code
 * <type>test-jar</type>}, test scope). The registry writer they use is published with the reader
 * ({@code io.microsandbox.metrics.registry.writer}).
 *
 * <pre>
 *   TempShm       JUnit extension: unique shm names, unlinked after every test (pass or fail)
 *   ShmFiles      raw bytes of /dev/shm objects: plant images, poke corrupt values, compare
 *   GoldenImages  microsandbox's own images + expected values (resources golden/)
 *   TestClocks    TimeSources a test controls (a synthetic wall clock, a hand-advanced one)
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.registry.testing;

import org.jspecify.annotations.NullMarked;
