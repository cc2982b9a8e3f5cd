package io.microsandbox.metrics.registry;

import static io.microsandbox.metrics.registry.RegistryLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.microsandbox.metrics.registry.RegistryException.Problem;
import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input gets a one-line error naming the problem (a corrupt header) or a counted skip (a
 * bad slot), within bounded time.
 */
class RegistryReaderBadInputTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final int LIVE_PID = 1;

  @RegisterExtension final TempShm shm = new TempShm();

  /** A 4-slot registry with sandboxes in slots 0..2, each sampled once. */
  private String registryWithThreeSandboxes() {
    RegistryWriter writer = shm.createRegistry(4);
    for (int i = 0; i < 3; i++) {
      SlotHandle slot = writer.reserve(10 + i, "sb" + i, 1024);
      slot.activate(100 + i, LIVE_PID, 1_000);
      slot.writeSample(SandboxSnapshot.builder().sampledAtMs(2_000 + i).build());
    }
    return writer.name();
  }

  private RegistryException scanFails(String name, Duration initTimeout) {
    try (RegistryReader reader = RegistryReader.builder(name).initTimeout(initTimeout).build()) {
      return assertTimeoutPreemptively(
          BOUND,
          () -> {
            try {
              reader.scan(true);
            } catch (RegistryException e) {
              assertThat(e.getMessage()).contains(name).doesNotContain("\n");
              return e;
            }
            throw new AssertionError("scan did not fail");
          });
    }
  }

  private void assertHeaderRejected(Consumer<String> corrupt, Problem problem, String message) {
    String name = registryWithThreeSandboxes();
    corrupt.accept(name);
    RegistryException e = scanFails(name, Duration.ofMillis(100));
    assertThat(e.problem()).isEqualTo(problem);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void wrongMagic() {
    assertHeaderRejected(
        n -> ShmFiles.pokeLong(n, H_MAGIC, 0x3230544d42534dL), Problem.BAD_MAGIC, "bad magic");
  }

  @Test
  void wrongVersion() {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_VERSION, 4),
        Problem.BAD_VERSION,
        "unsupported layout version 4 (expected 3)");
  }

  @Test
  void wrongHeaderLen() {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_HEADER_LEN, 128),
        Problem.BAD_HEADER_LEN,
        "bad header_len 128 (expected 256)");
  }

  @Test
  void wrongSlotLen() {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_SLOT_LEN, 256),
        Problem.BAD_SLOT_LEN,
        "bad slot_len 256 (expected 512)");
  }

  @Test
  void fileShorterThanCapacityNeeds() {
    assertHeaderRejected(
        n -> ShmFiles.truncate(n, registrySize(4) - 1),
        Problem.TOO_SHORT,
        "object is 2303 bytes, shorter than 256 + capacity 4 * 512 = 2304");
  }

  @Test
  void fileShorterThanTheHeader() {
    assertHeaderRejected(n -> ShmFiles.truncate(n, 100), Problem.TOO_SHORT, "100 bytes");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, MAX_CAPACITY + 1})
  void capacityZeroOrAbsurd(int capacity) {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_CAPACITY, capacity),
        Problem.BAD_CAPACITY,
        "bad capacity " + Integer.toUnsignedString(capacity));
  }

  @Test
  void capacityLargerThanTheFile() {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_CAPACITY, 1000), Problem.TOO_SHORT, "capacity 1000");
  }

  @ParameterizedTest
  @ValueSource(ints = {HEADER_UNINIT, HEADER_INITIALIZING})
  void headerStuckInitializingTimesOut(int state) {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_STATE, state), Problem.INIT_TIMEOUT, "after 100 ms");
  }

  @Test
  void emptyObjectIsAWriterMidCreateAndTimesOut() {
    String name = shm.newName();
    ShmFiles.write(name, new byte[0]);
    assertThat(scanFails(name, Duration.ofMillis(50)).problem()).isEqualTo(Problem.INIT_TIMEOUT);
  }

  @Test
  void headerThatBecomesReadyDuringTheWaitIsRead() throws Exception {
    String name = registryWithThreeSandboxes();
    ShmFiles.pokeInt(name, H_STATE, HEADER_INITIALIZING);
    Thread finisher =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              ShmFiles.pokeInt(name, H_STATE, HEADER_READY);
            });
    finisher.start();
    try (RegistryReader reader = RegistryReader.builder(name).initTimeout(BOUND).build()) {
      assertThat(reader.scan(true).snapshots()).hasSize(3);
    } finally {
      finisher.join();
    }
  }

  @Test
  void unknownHeaderState() {
    assertHeaderRejected(
        n -> ShmFiles.pokeInt(n, H_STATE, 7),
        Problem.UNKNOWN_STATE,
        "unknown header state 7 (expected 0, 1 or 2)");
  }

  @Test
  void nameLenOver128SkipsThatSlotOnlyAndCountsIt() {
    String name = registryWithThreeSandboxes();
    ShmFiles.pokeBytes(name, slotOffset(1) + S_NAME_LEN, new byte[] {(byte) 200, 0});
    try (RegistryReader reader = RegistryReader.open(name)) {
      RegistryScan scan = reader.scan(true);
      assertThat(scan.snapshots()).extracting(SandboxSnapshot::slot).containsExactly(0, 2);
      assertThat(scan.skippedSlots()).isEqualTo(1);
      reader.scan(false);
      assertThat(reader.skippedSlots()).isEqualTo(2); // cumulative over scans
    }
  }

  @Test
  void invalidUtf8InANameIsReplacedNotFatal() {
    String name = registryWithThreeSandboxes();
    // "a" 0xff "b" 0xe2 0x82 (truncated 3-byte sequence)
    ShmFiles.pokeBytes(name, slotOffset(2) + S_NAME_LEN, new byte[] {5, 0});
    ShmFiles.pokeBytes(
        name, slotOffset(2) + S_NAME, new byte[] {'a', (byte) 0xff, 'b', (byte) 0xe2, (byte) 0x82});
    try (RegistryReader reader = RegistryReader.open(name)) {
      RegistryScan scan = reader.scan(false);
      assertThat(scan.snapshots()).hasSize(3);
      assertThat(scan.snapshots().get(2).name()).isEqualTo("a\uFFFDb\uFFFD");
      assertThat(scan.skippedSlots()).isZero();
    }
  }

  @Test
  void corruptTimesGiveASaturatedUptimeNeverAnOverflow() {
    RegistryWriter writer = shm.createRegistry(4);
    long[][] startedSampled = {
      {1_700_000_000_000L, Long.MIN_VALUE}, // sample long before the start: 0
      {Long.MIN_VALUE, Long.MAX_VALUE}, // start before the epoch counts as the epoch
      {Long.MAX_VALUE, 5}, // start in the far future: 0
      {1_000, 62_234}, // a sane pair
    };
    for (int i = 0; i < startedSampled.length; i++) {
      SlotHandle slot = writer.reserve(10 + i, "sb" + i, 1024);
      slot.activate(100 + i, LIVE_PID, startedSampled[i][0]);
      slot.writeSample(SandboxSnapshot.builder().sampledAtMs(startedSampled[i][1]).build());
    }
    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      assertThat(reader.scan(true).snapshots())
          .extracting(SandboxSnapshot::uptimeMs)
          .containsExactly(0L, Long.MAX_VALUE, 0L, 61_234L);
    }
  }

  @Test
  void slotWhoseSeqStaysOddIsSkippedAndCountedNotSpunOn() {
    RegistryWriter writer = shm.createRegistry(3);
    SlotHandle healthy = writer.reserve(1, "ok", 0);
    healthy.activate(1, LIVE_PID, 0);
    healthy.writeSample(SandboxSnapshot.builder().sampledAtMs(5).build());
    SlotHandle crashed = writer.reserve(2, "crashed", 0);
    crashed.activate(2, LIVE_PID, 0);
    crashed.writeSample(SandboxSnapshot.builder().sampledAtMs(5).build());
    crashed.abandonMidWrite();

    try (RegistryReader reader = RegistryReader.open(writer.name())) {
      RegistryScan scan = assertTimeoutPreemptively(BOUND, () -> reader.scan(true));
      assertThat(scan.snapshots()).extracting(SandboxSnapshot::name).containsExactly("ok");
      assertThat(scan.skippedSlots()).isEqualTo(1);
    }
  }

  @Test
  void garbageSlotsNeverHangOrCrash() {
    String name = registryWithThreeSandboxes();
    Random random = new Random(42);
    byte[] junk = new byte[SLOT_LEN];
    for (int round = 0; round < 50; round++) {
      random.nextBytes(junk);
      if (round % 2 == 0) { // make it look active and readable, so the values are judged
        ByteBuffer.wrap(junk).order(ByteOrder.LITTLE_ENDIAN).putInt(S_STATE, SLOT_ACTIVE);
        junk[S_SEQ] &= ~1;
      }
      ShmFiles.pokeBytes(name, slotOffset(3), junk);
      try (RegistryReader reader = RegistryReader.open(name)) {
        RegistryScan scan = assertTimeoutPreemptively(BOUND, () -> reader.scan(true));
        assertThat(scan.snapshots().size() + scan.skippedSlots()).isBetween(3, 4);
      }
    }
  }

  @Test
  void objectOfAnotherUserIsPermissionDenied() throws Exception {
    Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root is never denied (see RegistryAttacherTest)");
    String name = registryWithThreeSandboxes();
    Files.setPosixFilePermissions(
        ShmFiles.path(name), PosixFilePermissions.fromString("---------"));
    RegistryException e = scanFails(name, Duration.ZERO);
    assertThat(e.problem()).isEqualTo(Problem.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("run as the same Unix user as microsandbox");
  }

  @Test
  void objectShrunkWhileMappedIsAnErrorNotACrash() {
    String name = registryWithThreeSandboxes();
    try (RegistryReader reader = RegistryReader.open(name)) {
      assertThat(reader.scan(true).snapshots()).hasSize(3);
      ShmFiles.truncate(name, registrySize(2));
      RegistryException e =
          assertTimeoutPreemptively(
              BOUND,
              () -> {
                try {
                  reader.scan(true);
                  return null;
                } catch (RegistryException thrown) {
                  return thrown;
                }
              });
      assertThat(e).isNotNull();
      assertThat(e.problem()).isEqualTo(Problem.TOO_SHORT);
    }
  }

  /**
   * A registry of {@code capacity} slots, all active with an old sample (so the owner check runs
   * for each); its name.
   */
  private String fullRegistryOfOldSamples(int capacity) {
    RegistryWriter writer = shm.createRegistry(capacity);
    for (int i = 0; i < capacity; i++) {
      SlotHandle slot = writer.reserve(10 + i, "sb" + i, 1024);
      slot.activate(100 + i, LIVE_PID, 1_000);
      slot.writeSample(SandboxSnapshot.builder().sampledAtMs(2_000).build());
    }
    return writer.name();
  }

  @Test
  void truncatesDuringScansGiveOneLineRegistryExceptionsNotInternalErrors() throws Exception {
    // 16 slots span three pages; every sample is old, so the owner check runs for each slot
    String name = fullRegistryOfOldSamples(16);
    byte[] whole = ShmFiles.read(name);
    AtomicBoolean truncateNext = new AtomicBoolean();
    List<String> errors = new CopyOnWriteArrayList<>();
    List<Throwable> escaped = new CopyOnWriteArrayList<>();
    int[] scanned = new int[1];
    int[] late = new int[1];
    Thread scanner =
        new Thread(
            () -> {
              try (RegistryReader reader =
                  RegistryReader.builder(name)
                      .processGoneCheck(
                          pid -> {
                            // the scan's first owner check shrinks the object under the mapping:
                            // the later slots lie on pages past its new end (SIGBUS when read)
                            if (truncateNext.compareAndSet(true, false)) {
                              ShmFiles.truncate(name, HEADER_LEN);
                            }
                            return false;
                          })
                      .ownerRecheckInterval(Duration.ZERO)
                      .build()) {
                for (int round = 0; round < 40; round++) {
                  truncateNext.set(round % 2 == 0);
                  // as the collect loop: a fault is a one-line RegistryException from the scan,
                  // or, in compiled code, an InternalError the JVM reports a little later on the
                  // same thread (the loop counts both as a skipped scan); nothing else
                  try {
                    if (reader.scan(false).snapshots().size() == 16) {
                      scanned[0]++;
                    }
                    ShmFiles.write(name, whole); // the writer grows it back
                  } catch (RegistryException e) {
                    errors.add(e.getMessage());
                    ShmFiles.write(name, whole);
                  } catch (InternalError e) {
                    late[0]++;
                    ShmFiles.write(name, whole);
                  }
                }
              } catch (Throwable t) {
                escaped.add(t);
              }
            });
    scanner.setUncaughtExceptionHandler((t, e) -> escaped.add(e));
    scanner.start();
    scanner.join(BOUND.toMillis());
    assertThat(scanner.isAlive()).isFalse();
    assertThat(escaped).isEmpty();
    assertThat(errors).allSatisfy(m -> assertThat(m).contains(name).doesNotContain("\n"));
    assertThat(errors.size() + late[0]).as("every truncated scan failed").isPositive();
    assertThat(scanned[0]).as("the scans between the truncates read everything").isPositive();
  }

  @Test
  void shrinkAndRegrowCyclesRacingScansOnlyEverGiveRegistryExceptions() throws Exception {
    String name = fullRegistryOfOldSamples(64);
    byte[] whole = ShmFiles.read(name);
    AtomicBoolean stop = new AtomicBoolean();
    Thread truncator =
        new Thread(
            () -> {
              while (!stop.get()) {
                ShmFiles.truncate(name, HEADER_LEN);
                ShmFiles.truncate(name, whole.length);
                ShmFiles.pokeBytes(name, 0, whole);
              }
            });
    truncator.start();
    // a fault is a one-line RegistryException, or an InternalError the JVM reports late on the
    // same thread: at its next safepoint poll, which can be anywhere after the read, a loop's
    // back edge included (the collect loop counts both as a skipped scan). So the scans run on a
    // thread of their own, and whatever it throws, wherever, is checked: anything else fails.
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    AtomicInteger scans = new AtomicInteger();
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    Runnable scanUntilTheEnd =
        () -> {
          try (RegistryReader reader = RegistryReader.open(name)) {
            while (System.nanoTime() < end) {
              try {
                reader.scan(true);
                scans.incrementAndGet();
              } catch (RegistryException e) {
                assertThat(e.getMessage()).contains(name).doesNotContain("\n");
              }
            }
          }
        };
    try {
      // a late fault ends its thread; the next thread reads on until the end
      for (int attempt = 0; attempt < 50 && System.nanoTime() < end; attempt++) {
        Thread scanner = new Thread(scanUntilTheEnd);
        scanner.setUncaughtExceptionHandler((t, e) -> thrown.add(e));
        scanner.start();
        scanner.join(BOUND.toMillis());
        assertThat(scanner.isAlive()).isFalse();
      }
      assertThat(thrown)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOf(InternalError.class)
                      .hasMessageContaining("unsafe memory access"));
      assertThat(scans.get()).as("scans that completed between the faults").isPositive();
    } finally {
      stop.set(true);
      truncator.join(BOUND.toMillis());
    }
  }

  @Test
  void corruptionAfterARecreateIsReportedAndAGoodRegistryIsReadAgainLater() {
    String name = registryWithThreeSandboxes();
    try (RegistryReader reader = RegistryReader.builder(name).initTimeout(Duration.ZERO).build()) {
      assertThat(reader.scan(true).snapshots()).hasSize(3);
      byte[] good = ShmFiles.read(name);
      byte[] bad = good.clone();
      bad[H_VERSION] = 9;
      ShmFiles.write(name, bad); // a new inode
      assertThatThrownBy(() -> reader.scan(true)).isInstanceOf(RegistryException.class);
      ShmFiles.write(name, good);
      assertThat(reader.scan(true).snapshots()).hasSize(3);
    }
  }
}
