/**
 * Test fixtures shared by every module's tests, benchmarks and the demo (the test-kit artifact).
 *
 * <pre>
 *   TempShm       JUnit extension: unique shm names, unlinked after every test (pass or fail)
 *   ShmFiles      raw bytes of /dev/shm objects: plant images, poke corrupt values, compare
 *   GoldenImages  microsandbox's own images + expected values (resources golden/)
 *   TestClocks    TimeSources a test controls (a synthetic wall clock, a hand-advanced one)
 * </pre>
 */
package io.microsandbox.metrics.registry.testing;
