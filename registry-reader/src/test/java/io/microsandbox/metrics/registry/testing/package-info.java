/**
 * Test fixtures shared with downstream modules through registry-reader's test-jar.
 *
 * <pre>
 *   TempShm       JUnit extension: unique shm names, unlinked after every test (pass or fail)
 *   ShmFiles      raw bytes of /dev/shm objects: plant images, poke corrupt values, compare
 *   GoldenImages  microsandbox's own images + expected values (system property msb.golden.dir)
 * </pre>
 */
package io.microsandbox.metrics.registry.testing;
