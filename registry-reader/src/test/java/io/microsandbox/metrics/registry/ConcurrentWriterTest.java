package io.microsandbox.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.registry.testing.CounterSamples;
import io.microsandbox.metrics.registry.testing.CounterWriterMain;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writers hammer their slots with samples whose every field derives from one counter while the
 * reader scans: not one torn sample may come out.
 */
class ConcurrentWriterTest {
  private static final long READ_NANOS = 2_000_000_000L;

  /** On a loaded 2-core host the writer may get little CPU: read longer, up to this, if needed. */
  private static final long MAX_READ_NANOS = 15_000_000_000L;

  private static final int MIN_DISTINCT = 200;

  /** Slot reuses between two that wait for the reader (see the reuse test). */
  private static final int REUSES_PER_HANDOFF = 16;

  @RegisterExtension final TempShm shm = new TempShm();

  /** What the reader saw while the writers ran. */
  private static final class Tally {
    long samples;
    long torn;
    long skipped;
    final Set<Long> distinct = new HashSet<>();
  }

  /**
   * Scans for at least {@code nanos}, and on until {@link #MIN_DISTINCT} distinct writes were seen
   * (or {@link #MAX_READ_NANOS} passed), so a starved writer lengthens the test instead of failing
   * it.
   */
  private static Tally readFor(RegistryReader reader, long nanos) {
    Tally tally = new Tally();
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos
        || (tally.distinct.size() <= MIN_DISTINCT && System.nanoTime() - start < MAX_READ_NANOS)) {
      RegistryScan scan = reader.scan(false);
      tally.skipped += scan.skippedSlots();
      for (SandboxSnapshot s : scan.snapshots()) {
        tally.samples++;
        if (!CounterSamples.isCoherent(s)) {
          tally.torn++;
        }
        tally.distinct.add(((long) s.slot() << 40) ^ s.sampledAtMs());
      }
    }
    return tally;
  }

  @Test
  @Timeout(30)
  void writerThreadsNeverProduceATornSample() throws Exception {
    RegistryWriter writer = shm.createRegistry(4);
    AtomicBoolean stop = new AtomicBoolean();
    Thread[] threads = new Thread[1]; // one writer + the reader: both run on a 2-core host
    for (int t = 0; t < threads.length; t++) {
      SlotHandle slot = writer.reserve(t + 1, "thread-" + t, 0);
      slot.activate(t + 1, 1, 1);
      slot.writeSample(CounterSamples.sample(1));
      threads[t] =
          new Thread(
              () -> {
                long counter = 1;
                while (!stop.get()) {
                  slot.writeSample(CounterSamples.sample(++counter));
                }
              },
              "counter-writer-" + t);
      threads[t].start();
    }
    Tally tally;
    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      tally = readFor(reader, READ_NANOS);
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(10_000);
      }
    }
    assertThat(tally.torn).as("torn samples among %d", tally.samples).isZero();
    assertSawManySamples(tally);
  }

  /** Enough distinct writes were read to make "zero torn" mean something, even on a busy host. */
  private static void assertSawManySamples(Tally tally) {
    assertThat(tally.distinct.size())
        .as("distinct samples seen (%d read, %d slot reads skipped)", tally.samples, tally.skipped)
        .isGreaterThan(MIN_DISTINCT);
  }

  @Test
  @Timeout(30)
  void slotsReusedUnderTheReaderNeverMixTwoSandboxes() throws Exception {
    RegistryWriter writer = shm.createRegistry(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong seen = new AtomicLong();
    Thread churn =
        new Thread(
            () -> {
              // every field of sandbox k derives from k: id, name, limit, run, start, sample
              for (int k = 1; !stop.get(); k++) {
                SlotHandle slot = writer.reserve(k, "sb-" + k, k);
                slot.activate(k, 1, k);
                slot.writeSample(CounterSamples.sample(k));
                if (k % REUSES_PER_HANDOFF == 0) {
                  // a free-running churn leaves the slot readable for a few nanoseconds per
                  // sandbox: a slow (cold, starved) reader sees next to nothing and the test
                  // checks nothing. Every so often hold the sample until the reader took one;
                  // all the other reuses still race the reader.
                  long before = seen.get();
                  while (seen.get() == before && !stop.get()) {
                    Thread.onSpinWait();
                  }
                }
                slot.release(k % 2 == 0);
              }
            },
            "slot-churn");
    churn.start();
    long mixed = 0;
    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      long start = System.nanoTime();
      // as readFor: on until enough samples were seen, so a starved churn thread lengthens the
      // test instead of failing it
      while (System.nanoTime() - start < READ_NANOS / 2
          || (seen.get() <= MIN_DISTINCT && System.nanoTime() - start < MAX_READ_NANOS)) {
        for (SandboxSnapshot s : reader.scan(true).snapshots()) {
          long k = s.sampledAtMs();
          boolean sameSandbox =
              CounterSamples.isCoherent(s)
                  && s.sandboxId() == k
                  && s.runId() == k
                  && s.startedAtMs() == k
                  && s.raw(SampleField.MEMORY_LIMIT_BYTES) == k
                  && s.name().equals("sb-" + k);
          if (!sameSandbox) {
            mixed++;
          }
          seen.incrementAndGet();
        }
      }
    } finally {
      stop.set(true);
      churn.join(10_000);
    }
    assertThat(mixed).as("samples mixing two sandboxes among %d", seen.get()).isZero();
    assertThat(seen.get()).isGreaterThan(MIN_DISTINCT);
  }

  @Test
  @Timeout(40)
  void aWriterProcessNeverProducesATornSample() throws Exception {
    RegistryWriter writer = shm.createRegistry(4);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CounterWriterMain.class.getName(),
                writer.name(),
                "42",
                "4000")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (reader.scan(false).snapshots().isEmpty()) {
        assertThat(System.nanoTime()).as("child started writing").isLessThan(deadline);
        assertThat(child.isAlive()).as("child alive").isTrue();
        Thread.sleep(10);
      }
      Tally tally = readFor(reader, READ_NANOS);
      assertThat(tally.torn).as("torn samples among %d", tally.samples).isZero();
      assertSawManySamples(tally);

      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
      long written =
          Long.parseLong(
              new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      assertThat(written).isGreaterThanOrEqualTo(tally.distinct.size());
    } finally {
      child.destroyForcibly();
    }
  }
}
