package io.microsandbox.metrics.cli.bench;

import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import io.microsandbox.metrics.simulator.DemoRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar's footprint, measured on the real thing: {@code bin/msb-metrics otel} (the bundled
 * jar through the launcher) as its own process, reading a simulated registry of N sandboxes (the
 * demo simulator, ticking every second) and shipping over OTLP/gRPC to a local receiver.
 *
 * <ul>
 *   <li>Steady state: collect 1 s, flush 10 s; after the first export and a warm-up, resident
 *       memory (VmRSS every second, VmHWM at the end) and CPU (utime + stime from {@code
 *       /proc/PID/stat}) over the window, as a share of one core.
 *   <li>Start-up: launch to the first request accepted by the receiver, with {@code
 *       --flush-interval 1s}; median of several launches.
 * </ul>
 *
 * <p>With {@code --outage S}: the backend goes down for S seconds (the buffer fills and drops its
 * oldest), then comes back; the run reports whether the sidecar survived the backlog's flush with
 * the launcher's heap, and its peak RSS.
 *
 * <p>Variants are measured in the same run for a side-by-side ratio: {@code launcher} (the
 * launcher's JVM options), {@code launcher:OPTS} (the launcher plus MSB_METRICS_JAVA_OPTS=OPTS),
 * {@code plain} ({@code java -jar}, the JVM's own defaults).
 *
 * <pre>
 * bench/sidecar-footprint.sh --sandboxes 1000 --seconds 60 --startup-runs 5 --variants launcher,plain
 * </pre>
 */
public final class SidecarFootprint {
  private static final long MIB = 1L << 20;

  private final int sandboxes;
  private final int windowSeconds;
  private final int warmupSeconds;
  private final int startupRuns;

  /**
   * When positive: instead of the steady-state and start-up runs, the outage run of that length.
   */
  private final int outageSeconds;

  /** Per-thread CPU, resident memory split, NMT and heap after GC for each steady window. */
  private final boolean detail;

  /** Rounds: every variant once per round, in order, so that old and new interleave. */
  private final int rounds;

  /** When set: a JFR recording (settings=profile) of each steady window is written here. */
  private final Path jfrDir;

  private final Path repo;

  /** The bundled jar: $MSB_METRICS_JAR (as the launcher reads it), else cli/target's. */
  private final Path jar;

  private final long clockTicksPerSecond;

  /** The launchers' class-data archives (MSB_METRICS_CDS_DIR), removed at the end. */
  private final Path cdsDir;

  private SidecarFootprint(Map<String, String> opts) throws IOException, InterruptedException {
    this.sandboxes = Integer.parseInt(opts.getOrDefault("sandboxes", "1000"));
    this.windowSeconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    this.warmupSeconds = Integer.parseInt(opts.getOrDefault("warmup", "15"));
    this.startupRuns = Integer.parseInt(opts.getOrDefault("startup-runs", "5"));
    this.outageSeconds = Integer.parseInt(opts.getOrDefault("outage", "0"));
    this.detail = Boolean.parseBoolean(opts.getOrDefault("detail", "false"));
    this.rounds = Integer.parseInt(opts.getOrDefault("rounds", "1"));
    this.jfrDir = opts.containsKey("jfr") ? Path.of(opts.get("jfr")).toAbsolutePath() : null;
    this.repo = findRepository();
    String jarOverride = System.getenv("MSB_METRICS_JAR");
    this.jar =
        jarOverride != null ? Path.of(jarOverride) : repo.resolve("cli/target/msb-metrics.jar");
    this.clockTicksPerSecond = clockTicks();
    this.cdsDir = Files.createTempDirectory("msb-footprint-cds-");
  }

  /** Results of one variant. */
  private record Steady(
      double cpuShareOfOneCore, long rssMedian, long rssMax, long hwm, int threads, int exports) {}

  /**
   * Runs the measurement.
   *
   * @param args {@code --sandboxes N --seconds S --warmup S --startup-runs N --variants a,b
   *     [--rounds N] [--detail true] [--jfr DIR] [--outage S]}
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    List<String> variants = List.of(opts.getOrDefault("variants", "launcher,plain").split(","));
    new SidecarFootprint(opts).run(variants);
  }

  private void run(List<String> variants) throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it (bench/sidecar-footprint.sh does)");
    }
    System.out.printf(
        Locale.ROOT,
        "sidecar footprint: %d sandboxes, window %d s after %d s warm-up, %d start-up runs, %d"
            + " cores, %s%n",
        sandboxes,
        windowSeconds,
        warmupSeconds,
        startupRuns,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try (DemoRegistry demo = DemoRegistry.start(sandboxes, System.currentTimeMillis());
        GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false)) {
      ticker.scheduleAtFixedRate(
          () -> demo.tick(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
      if (outageSeconds > 0) {
        for (String variant : variants) {
          System.out.println(outage(variant, demo, receiver));
        }
        return;
      }
      Map<String, List<Steady>> steadyRuns = new LinkedHashMap<>();
      Map<String, List<Double>> startupWall = new LinkedHashMap<>();
      Map<String, List<Double>> startupCpu = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (String variant : variants) {
          if (round == 1) {
            prime(variant, demo, receiver);
          }
          Steady s = steady(variant, demo, receiver);
          steadyRuns.computeIfAbsent(variant, v -> new ArrayList<>()).add(s);
          List<Double> wall = startupWall.computeIfAbsent(variant, v -> new ArrayList<>());
          List<Double> cpu = startupCpu.computeIfAbsent(variant, v -> new ArrayList<>());
          for (int i = 0; i < startupRuns; i++) {
            double[] wallAndCpu = startup(variant, demo, receiver);
            wall.add(wallAndCpu[0]);
            cpu.add(wallAndCpu[1]);
          }
          System.out.printf(
              Locale.ROOT,
              "round %d: %s: CPU %.2f %%, RSS median %.1f MiB, exports %d%n",
              round,
              variant,
              s.cpuShareOfOneCore * 100,
              s.rssMedian / (double) MIB,
              s.exports);
        }
      }
      List<String> report = new ArrayList<>();
      String base = variants.get(0);
      for (String variant : variants) {
        List<Steady> runs = steadyRuns.get(variant);
        double cpu = median(runs.stream().map(r -> r.cpuShareOfOneCore).toList());
        double rss = median(runs.stream().map(r -> (double) r.rssMedian).toList());
        double rssMax = runs.stream().mapToDouble(r -> r.rssMax).max().orElse(0);
        double hwm = runs.stream().mapToDouble(r -> r.hwm).max().orElse(0);
        double exports = median(runs.stream().map(r -> (double) r.exports).toList());
        List<Double> wall = new ArrayList<>(startupWall.get(variant));
        Collections.sort(wall);
        String startup =
            wall.isEmpty()
                ? "- | -"
                : String.format(
                    Locale.ROOT,
                    "%.2f s (%.2f..%.2f) | %.2f s",
                    median(wall),
                    wall.get(0),
                    wall.get(wall.size() - 1),
                    median(startupCpu.get(variant)));
        String line =
            String.format(
                Locale.ROOT,
                "| %s | %.2f %% (%s) | %.1f MiB | %.1f MiB | %.1f MiB | %d | %.0f | %s |",
                variant,
                cpu * 100,
                runs.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r.cpuShareOfOneCore * 100))
                    .collect(java.util.stream.Collectors.joining(" / ")),
                rss / MIB,
                rssMax / MIB,
                hwm / MIB,
                runs.get(runs.size() - 1).threads,
                exports,
                startup);
        if (!variant.equals(base) && !wall.isEmpty()) {
          List<Steady> b = steadyRuns.get(base);
          line +=
              String.format(
                  Locale.ROOT,
                  " vs %s: CPU %.2fx, RSS %.2fx, first export %.2fx, CPU until then %.2fx",
                  base,
                  cpu / median(b.stream().map(r -> r.cpuShareOfOneCore).toList()),
                  rss / median(b.stream().map(r -> (double) r.rssMedian).toList()),
                  median(wall) / median(startupWall.get(base)),
                  median(startupCpu.get(variant)) / median(startupCpu.get(base)));
        }
        report.add(line);
      }
      System.out.println();
      System.out.println(
          "| variant | CPU (share of one core), median of rounds (each round) | RSS median"
              + " (median of rounds) | RSS max | VmHWM | threads | OTLP requests in window | first"
              + " export after launch: median of all launches (min..max) | CPU time until then,"
              + " median |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      report.forEach(System.out::println);
    } finally {
      ticker.shutdownNow();
      try (var files = Files.list(cdsDir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(cdsDir);
    }
  }

  /**
   * One launch up to its first export, then a clean stop: through the launcher, the first run of a
   * long-running command makes the application class-data archive at its exit, so that the runs
   * measured afterwards are the ones a service sees from its second start on.
   */
  private void prime(String variant, DemoRegistry demo, GrpcOtlpReceiver receiver)
      throws Exception {
    receiver.clear();
    Process p = launch(variant, demo, receiver, "1s");
    try {
      awaitFirstExport(p, receiver, 60);
    } finally {
      stop(p);
    }
  }

  private Steady steady(String variant, DemoRegistry demo, GrpcOtlpReceiver receiver)
      throws Exception {
    receiver.clear();
    Process p = launch(variant, demo, receiver, "10s");
    try {
      awaitFirstExport(p, receiver, 60);
      Thread.sleep(warmupSeconds * 1000L);
      receiver.clear();
      long jvm = jvmPid(p);
      if (jfrDir != null) {
        // started only now: the recording covers the steady window, not the start-up
        jcmd(jvm, "JFR.start", "name=footprint", "settings=profile");
      }
      Map<String, Long> threads0 = detail ? threadTicks(jvm) : Map.of();
      long ticks0 = cpuTicks(jvm);
      long t0 = System.nanoTime();
      List<Long> rss = new ArrayList<>();
      for (int s = 0; s < windowSeconds; s++) {
        Thread.sleep(1000);
        rss.add(statusKb(jvm, "VmRSS") * 1024);
        if (!p.isAlive()) {
          throw new IllegalStateException(variant + ": the sidecar exited with " + p.exitValue());
        }
      }
      long ticks1 = cpuTicks(jvm);
      double wall = (System.nanoTime() - t0) / 1e9;
      long hwm = statusKb(jvm, "VmHWM") * 1024;
      int threads = (int) statusKb(jvm, "Threads");
      int exports = receiver.accepted().size();
      receiver.clear();
      Collections.sort(rss);
      double cpu = (ticks1 - ticks0) / (double) clockTicksPerSecond / wall;
      if (jfrDir != null) {
        Files.createDirectories(jfrDir);
        Path recording = jfrDir.resolve(variant.replaceAll("[^A-Za-z0-9._-]+", "_") + ".jfr");
        jcmd(jvm, "JFR.stop", "name=footprint", "filename=" + recording);
        System.out.println("== " + variant + ": JFR recording of the window: " + recording);
      }
      if (detail) {
        printDetail(variant, jvm, threads0, wall);
      }
      return new Steady(
          cpu, rss.get(rss.size() / 2), rss.get(rss.size() - 1), hwm, threads, exports);
    } finally {
      stop(p);
    }
  }

  /**
   * The worst case for the heap: the backend is down for {@code --outage} seconds (longer than
   * --max-buffered collections), so the buffer fills up, then it comes back and the whole backlog
   * is encoded and sent. Reports whether the sidecar survived and delivered, and its peak RSS.
   */
  private String outage(String variant, DemoRegistry demo, GrpcOtlpReceiver receiver)
      throws Exception {
    receiver.clear();
    Process p = launch(variant, demo, receiver, "10s");
    try {
      awaitFirstExport(p, receiver, 60);
      receiver.goDown();
      Thread.sleep(outageSeconds * 1000L);
      receiver.clear();
      receiver.recover();
      // the next scheduled attempt comes after the backoff: up to 32 flush intervals
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(330);
      while (receiver.accepted().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(5000); // the rest of the backlog's requests
      boolean alive = p.isAlive();
      int requests = receiver.accepted().size();
      long points = receiver.accepted().stream().mapToLong(r -> r.pointCount()).sum();
      String hwm =
          alive
              ? String.format(Locale.ROOT, "%.1f MiB", statusKb(jvmPid(p), "VmHWM") / 1024.0)
              : "-";
      receiver.clear();
      return String.format(
          Locale.ROOT,
          "| %s | outage %d s | %s | backlog delivered in %d requests, %d points | VmHWM %s |",
          variant,
          outageSeconds,
          alive ? "alive" : "EXITED " + p.exitValue(),
          requests,
          points,
          hwm);
    } finally {
      receiver.recover();
      stop(p);
    }
  }

  /**
   * One launch to the first accepted export.
   *
   * @return wall seconds, and the CPU seconds the process used until then (less sensitive than wall
   *     time to other load on the machine)
   */
  private double[] startup(String variant, DemoRegistry demo, GrpcOtlpReceiver receiver)
      throws Exception {
    receiver.clear();
    long t0 = System.nanoTime();
    Process p = launch(variant, demo, receiver, "1s");
    try {
      awaitFirstExport(p, receiver, 30);
      double wall = (System.nanoTime() - t0) / 1e9;
      long jvm = jvmPid(p);
      double cpu = cpuTicks(jvm) / (double) clockTicksPerSecond;
      if (detail) {
        // where the CPU until the first export went, by thread
        StringBuilder line =
            new StringBuilder(
                String.format(
                    Locale.ROOT, "== %s: start-up %.2f s, CPU %.2f s:", variant, wall, cpu));
        threadTicks(jvm).entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    line.append(
                        String.format(
                            Locale.ROOT,
                            " %s %.2f",
                            e.getKey().replaceAll("#\\d+$", ""),
                            e.getValue() / (double) clockTicksPerSecond)));
        System.out.println(line);
      }
      return new double[] {wall, cpu};
    } finally {
      stop(p);
    }
  }

  private Process launch(String variant, DemoRegistry demo, GrpcOtlpReceiver receiver, String flush)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("MSB_METRICS_JAVA_OPTS");
    pb.environment().put("MSB_METRICS_CDS_DIR", cdsDir.toString());
    if (variant.equals("plain")) {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-jar");
      cmd.add(jar.toString());
    } else if (variant.startsWith("launcher") || variant.startsWith("dist")) {
      // launcher[@JAR|@DIR][:OPTS], dist[:OPTS]: a launcher, its jar, MSB_METRICS_JAVA_OPTS
      int colon = variant.indexOf(':');
      String name = colon < 0 ? variant : variant.substring(0, colon);
      if (colon >= 0) {
        pb.environment().put("MSB_METRICS_JAVA_OPTS", variant.substring(colon + 1));
      }
      if (name.contains("nocds")) {
        pb.environment().put("MSB_METRICS_CDS", "off");
      }
      int at = name.indexOf('@');
      Path where = at < 0 ? null : Path.of(name.substring(at + 1)).toAbsolutePath();
      if (name.startsWith("dist")) {
        // the unpacked distribution brings its own runtime: no JAVA_HOME, no java on the PATH
        cmd.add(distribution().resolve("bin/msb-metrics").toString());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().remove("MSB_METRICS_JAR");
      } else if (where != null && Files.isDirectory(where)) {
        cmd.add(where.resolve("bin/msb-metrics").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MSB_METRICS_JAR");
      } else {
        cmd.add(repo.resolve("bin/msb-metrics").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MSB_METRICS_JAR", (where != null ? where : jar).toString());
      }
    } else {
      throw new IllegalArgumentException("unknown variant " + variant);
    }
    cmd.addAll(
        List.of(
            "--log-level",
            "warn",
            "otel",
            "--protocol",
            "grpc",
            "--endpoint",
            receiver.endpoint(),
            "--msb-home",
            demo.msbHome().toString(),
            "--collect-interval",
            "1s",
            "--flush-interval",
            flush));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  /**
   * With {@code --detail true}: where the CPU and memory of the window went. Per-thread CPU over
   * the window, the resident set split into anonymous and file-backed pages, and, after the window,
   * the JVM's own accounts through jcmd: Native Memory Tracking (when the variant enables it with
   * -XX:NativeMemoryTracking=summary) and the heap after a full GC.
   */
  private void printDetail(String variant, long jvm, Map<String, Long> threads0, double wall)
      throws IOException, InterruptedException {
    Map<String, Long> threads1 = threadTicks(jvm);
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    for (Map.Entry<String, Long> e : threads1.entrySet()) {
      used.add(Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)));
    }
    used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    System.out.println("== " + variant + ": CPU per thread over the window (share of one core)");
    for (Map.Entry<String, Long> e : used) {
      if (e.getValue() > 0) {
        System.out.printf(
            Locale.ROOT,
            "  %-40s %.3f %%%n",
            e.getKey(),
            100.0 * e.getValue() / clockTicksPerSecond / wall);
      }
    }
    System.out.println("== " + variant + ": resident memory");
    for (String field : List.of("VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads")) {
      System.out.printf(Locale.ROOT, "  %-10s %d%n", field, statusKb(jvm, field));
    }
    System.out.println("== " + variant + ": resident memory by mapping (smaps, kB, largest)");
    Map<String, Long> byMapping = new HashMap<>();
    String mapping = "?";
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm), "smaps"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].contains("-") && f[1].length() == 4) {
        mapping = f.length >= 6 ? f[5] : "[anon]";
      } else if (f[0].equals("Rss:")) {
        byMapping.merge(mapping, Long.parseLong(f[1]), Long::sum);
      }
    }
    byMapping.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %8d  %s%n", e.getValue(), e.getKey()));
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (Files.isExecutable(jcmd)) {
      for (String command :
          List.of("VM.native_memory summary", "GC.run", "GC.heap_info", "GC.class_histogram")) {
        String out = jcmd(jvm, command.split(" "));
        System.out.println("== " + variant + ": jcmd " + command);
        // the histogram's largest 30 classes are enough to see where the heap goes
        out.lines()
            .limit(command.startsWith("GC.class_histogram") ? 34 : Long.MAX_VALUE)
            .forEach(System.out::println);
      }
    }
  }

  /** Runs {@code jcmd PID command...} of the harness's JDK and returns its output. */
  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
    cmd.addAll(List.of(command));
    Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(j.getInputStream().readAllBytes());
    j.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** CPU clock ticks per thread ("name#tid"), from /proc/PID/task. */
  private static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.put(name + "#" + task.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  /** The unpacked distribution: $MSB_FOOTPRINT_DIST (bench/sidecar-footprint.sh sets it). */
  private static Path distribution() {
    String dir = System.getenv("MSB_FOOTPRINT_DIST");
    if (dir == null || !Files.isExecutable(Path.of(dir, "bin", "msb-metrics"))) {
      throw new IllegalStateException(
          "variant dist: set MSB_FOOTPRINT_DIST to an unpacked msb-metrics-*-linux-x64.tar.gz");
    }
    return Path.of(dir);
  }

  private static void awaitFirstExport(Process p, GrpcOtlpReceiver receiver, int timeoutSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (receiver.accepted().isEmpty()) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "the sidecar exited with " + p.exitValue() + " before exporting");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no export within " + timeoutSeconds + " s");
      }
      Thread.sleep(5);
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(40, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The JVM of a launch: the process itself, or, when the launcher stays as its parent (the run
   * that makes the class-data archive), its java child.
   */
  private static long jvmPid(Process p) {
    if (isJava(p.toHandle())) {
      return p.pid();
    }
    return p.descendants()
        .filter(SidecarFootprint::isJava)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no java process under " + p.pid()))
        .pid();
  }

  private static boolean isJava(ProcessHandle h) {
    return h.info().command().map(c -> c.endsWith("/java")).orElse(false);
  }

  /** utime + stime of a process, in clock ticks. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** A numeric field of /proc/PID/status (kB for the Vm* fields). */
  private static long statusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
  }

  private static long clockTicks() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out.matches("\\d+") ? Long.parseLong(out) : 100;
  }

  private static Path findRepository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isExecutable(dir.resolve("bin/msb-metrics"))
          && Files.isDirectory(dir.resolve("cli"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from inside the repository (bin/msb-metrics not found)");
  }
}
