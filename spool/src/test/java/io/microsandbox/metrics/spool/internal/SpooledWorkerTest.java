package io.microsandbox.metrics.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.internal.CollectStats;
import io.microsandbox.metrics.collector.internal.CompactCollection;
import io.microsandbox.metrics.collector.internal.ExportCaller;
import io.microsandbox.metrics.collector.internal.ExporterSettings;
import io.microsandbox.metrics.collector.internal.ExporterWorker;
import io.microsandbox.metrics.collector.internal.IdentityInterner;
import io.microsandbox.metrics.collector.internal.SpooledBuffer;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.testing.ManualScheduler;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker over a disk spool: backlog first, oldest first, removal only after acceptance. */
@Timeout(30)
class SpooledWorkerTest {
  private static final Duration FLUSH = Duration.ofSeconds(10);
  private static final int WINDOW = 20;

  @TempDir Path tmp;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingExporter exporter = new RecordingExporter("otlp", scheduler::nanoTime);
  private final ExportCaller caller = new ExportCaller("otlp");
  private final IdentityInterner interner = new IdentityInterner();
  private final List<DiskSpool> spools = new ArrayList<>();

  @AfterEach
  void close() {
    caller.close();
    spools.forEach(DiskSpool::close);
  }

  private DiskSpool spool() {
    return spool(SpoolFileSystem.real());
  }

  private DiskSpool spool(SpoolFileSystem fs) {
    DiskSpool s =
        DiskSpool.open(
            "otlp",
            new SpoolSettings(
                tmp.resolve("otlp"),
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofDays(365),
                SpoolSettings.DEFAULT_SYNC_INTERVAL),
            scheduler::currentTimeMillis,
            fs);
    spools.add(s);
    return s;
  }

  private ExporterWorker worker(SpooledBuffer buffer) {
    ExporterWorker w =
        new ExporterWorker(
            ExporterSettings.inMemory(exporter, FLUSH, WINDOW, Duration.ofSeconds(5), FLUSH)
                .withSpool(
                    new SpoolSettings(
                        tmp.resolve("otlp"),
                        SpoolSettings.DEFAULT_MAX_BYTES,
                        Duration.ofHours(1),
                        SpoolSettings.DEFAULT_SYNC_INTERVAL)),
            buffer,
            scheduler,
            caller,
            new CollectStats());
    w.start();
    scheduler.runDue();
    return w;
  }

  private CompactCollection compact(int i) {
    SnapshotCollection c = DiskSpoolTest.collection(i);
    return CompactCollection.encode(
        c.collectedAtMs(), c.snapshots(), CompactCollection.metadataOf(c), interner);
  }

  private List<Long> delivered() {
    List<Long> out = new ArrayList<>();
    for (ExportBatch b : exporter.batches()) {
      out.addAll(b.collections().stream().map(SnapshotCollection::collectedAtMs).toList());
    }
    return out;
  }

  private static List<Long> ticks(int from, int to) {
    List<Long> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(DiskSpoolTest.collection(i).collectedAtMs());
    }
    return out;
  }

  @Test
  void backlogOfAnEarlierRunGoesFirstOldestFirstThenNewCollections() throws IOException {
    DiskSpool earlier = spool();
    for (int i = 0; i < 50; i++) {
      earlier.append(DiskSpoolTest.collection(i));
    }
    earlier.close();

    SpooledBuffer buffer = new SpooledBuffer("otlp", spool(), WINDOW);
    ExporterWorker w = worker(buffer);
    for (int i = 50; i < 55; i++) {
      w.offer(compact(i));
    }
    scheduler.advance(TimeUnit.SECONDS.toNanos(10));
    // the backlog in windows of 20, one right after another, then what arrived meanwhile
    assertThat(delivered()).isEqualTo(ticks(0, 55));
    assertThat(exporter.batches().get(0).collections()).hasSize(WINDOW);
    assertThat(exporter.batches().get(0).collections().get(0))
        .isEqualTo(DiskSpoolTest.collection(0));
    assertThat(buffer.spoolStats(0).orElseThrow().collections()).isZero();
  }

  @Test
  void aCollectionTheAgeCapDropsWhileItsRequestSucceedsIsDeliveredNotDropped() {
    AtomicLong spoolClock = new AtomicLong(DiskSpoolTest.collection(0).collectedAtMs());
    DiskSpool spool =
        DiskSpool.open(
            "otlp",
            new SpoolSettings(
                tmp.resolve("otlp"),
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofSeconds(30),
                SpoolSettings.DEFAULT_SYNC_INTERVAL),
            spoolClock::get);
    spools.add(spool);
    SpooledBuffer buffer = new SpooledBuffer("otlp", spool, WINDOW);
    ExporterWorker w = worker(buffer);
    for (int i = 0; i < 10; i++) {
      w.offer(compact(i));
    }
    exporter.thenDo(
        () -> {
          // while the request is out, time passes and the collect thread appends: the age cap
          // drops the ten being delivered
          spoolClock.set(DiskSpoolTest.collection(100).collectedAtMs());
          w.offer(compact(95));
          return ExportResult.success(0);
        });
    scheduler.advance(FLUSH.toNanos());
    assertThat(exporter.batches().get(0).collections()).hasSize(10);
    assertThat(buffer.droppedTotal()).isZero();
    assertThat(buffer.droppedForAge()).isZero();
    assertThat(spool.stats(0).droppedAge()).isZero();
  }

  @Test
  void outageKeepsEverythingOnDiskWithOnlyAWindowInMemory() {
    SpooledBuffer buffer = new SpooledBuffer("otlp", spool(), WINDOW);
    ExporterWorker w = worker(buffer);
    AtomicBoolean down = new AtomicBoolean(true);
    for (int i = 0; i < 40; i++) {
      exporter.thenDo(
          () -> down.get() ? ExportResult.retryable("backend down") : ExportResult.success(0));
    }
    for (int i = 0; i < 200; i++) {
      w.offer(compact(i));
      scheduler.advance(TimeUnit.SECONDS.toNanos(1));
      assertThat(buffer.size()).isLessThanOrEqualTo(WINDOW);
    }
    assertThat(buffer.spoolStats(0).orElseThrow().collections()).isEqualTo(200);
    down.set(false);
    exporter.batches().clear();
    int before = exporter.calls();
    var flushed = w.flush();
    scheduler.runDue();
    flushed.join();
    List<Long> all = new ArrayList<>();
    List<ExportBatch> batches = exporter.batches();
    for (ExportBatch b : batches.subList(before, batches.size())) {
      all.addAll(b.collections().stream().map(SnapshotCollection::collectedAtMs).toList());
    }
    assertThat(all).isEqualTo(ticks(0, 200));
    assertThat(buffer.spoolStats(0).orElseThrow().collections()).isZero();
    assertThat(exporter.batches().get(exporter.calls() - 1).droppedCollections()).isZero();
  }

  @Test
  void writeErrorKeepsCollectionsInMemoryAndWritesThemWhenTheDiskRecovers() {
    SimulatedDisk disk = new SimulatedDisk();
    DiskSpool spool = spool(disk);
    SpooledBuffer buffer = new SpooledBuffer("otlp", spool, WINDOW);
    ExporterWorker w = worker(buffer);
    // fails at 10 s and 20 s (backoff 10 s, then 20 s: the next is after the loop)
    exporter.thenReturn(ExportResult.retryable("down"), ExportResult.retryable("down"));
    for (int i = 0; i < 30; i++) {
      disk.failWrites(i >= 10 && i < 15);
      w.offer(compact(i));
      scheduler.advance(TimeUnit.SECONDS.toNanos(1));
    }
    assertThat(spool.stats(0).writeErrors()).isGreaterThanOrEqualTo(5);
    // the five written to memory only reached the disk once it worked again, in their place
    assertThat(spool.stats(0).collections()).isEqualTo(30);
    var flushed = w.flush();
    scheduler.runDue();
    flushed.join();
    // the two failed calls saw the same oldest collections; every later call succeeded
    List<Long> accepted = new ArrayList<>();
    List<ExportBatch> batches = exporter.batches();
    for (ExportBatch b : batches.subList(2, batches.size())) {
      accepted.addAll(b.collections().stream().map(SnapshotCollection::collectedAtMs).toList());
    }
    assertThat(accepted).isEqualTo(ticks(0, 30));
    assertThat(spool.stats(0).collections()).isZero();
  }
}
