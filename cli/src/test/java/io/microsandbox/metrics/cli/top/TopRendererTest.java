package io.microsandbox.metrics.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering a fixed frame to text, compared exactly at several widths. */
class TopRendererTest {
  private static final TopRenderer PLAIN = new TopRenderer(false, ZoneOffset.UTC);
  private static final String HINT = "every 1s | q to quit";

  private static String render(TopFrame frame, int width, String note) {
    return String.join("\n", PLAIN.render(frame, width, note)) + "\n";
  }

  @Test
  void wideEnoughEverythingShowsInFullWithoutTrailingBlanks() {
    assertThat(render(FixedFrames.mixed(), 140, HINT))
        .isEqualTo(
            "22:13:20  sandboxes 3 (1 stalled, 1 exited)  cpu 0.85 / 3c  mem 708M / 2.0G  registry"
                + " /msb-met-0123456789abcdef-v3\n"
                + "every 1s | q to quit\n"
                + "NAME                          STATE    CPU        MEM          DISK R/W /s      "
                + " NET RX/TX /s      UPTIME\n"
                + "api                           running  0.80 / 2c  412M / 1.0G  1.3M / 64K       "
                + " 48K / 2.0K        2h03m\n"
                + "worker-with-a-very-long-name  running  0.05       96M / 512M   -                "
                + " -                 42s\n"
                + "stuck                         stalled  -          200M / 512M  -                "
                + " -                 no sample 42s\n"
                + "batch                         exited   -          64M / 512M   89M / 644M total "
                + " 48M / 268K total  ran 12m05s\n");
  }

  @Test
  void at100ColumnsTheLongNameIsTruncatedSoEveryColumnStillFits() {
    assertThat(render(FixedFrames.mixed(), 100, HINT))
        .isEqualTo(
            "22:13:20  sandboxes 3 (1 stalled, 1 exited)  cpu 0.85 / 3c  mem 708M / 2.0G\n"
                + "every 1s | q to quit\n"
                + "NAME              STATE    CPU        MEM          DISK R/W /s       NET RX/TX"
                + " /s      UPTIME\n"
                + "api               running  0.80 / 2c  412M / 1.0G  1.3M / 64K        48K / 2.0K "
                + "       2h03m\n"
                + "worker-with-a-v~  running  0.05       96M / 512M   -                 -          "
                + "       42s\n"
                + "stuck             stalled  -          200M / 512M  -                 -          "
                + "       no sample 42s\n"
                + "batch             exited   -          64M / 512M   89M / 644M total  48M / 268K"
                + " total  ran 12m05s\n");
  }

  @Test
  void at80ColumnsNamesGiveWayToTheirMinimumThenWholeColumnsFromTheRight() {
    String out = render(FixedFrames.mixed(), 80, null);
    assertThat(out)
        .isEqualTo(
            "22:13:20  sandboxes 3 (1 stalled, 1 exited)  cpu 0.85 / 3c  mem 708M / 2.0G\n"
                + "\n"
                + "NAME        STATE    CPU        MEM          DISK R/W /s       NET RX/TX /s\n"
                + "api         running  0.80 / 2c  412M / 1.0G  1.3M / 64K        48K / 2.0K\n"
                + "worker-wi~  running  0.05       96M / 512M   -                 -\n"
                + "stuck       stalled  -          200M / 512M  -                 -\n"
                + "batch       exited   -          64M / 512M   89M / 644M total  48M / 268K"
                + " total\n");
    assertThat(out.lines()).allMatch(l -> l.length() <= 80);
  }

  @Test
  void at60ColumnsOnlyWholeColumnsShowNeverHalfANumber() {
    assertThat(render(FixedFrames.mixed(), 60, HINT))
        .isEqualTo(
            "22:13:20  sandboxes 3 (1 stalled, 1 exited)  cpu 0.85 / 3c\n"
                + "every 1s | q to quit\n"
                + "NAME        STATE    CPU        MEM\n"
                + "api         running  0.80 / 2c  412M / 1.0G\n"
                + "worker-wi~  running  0.05       96M / 512M\n"
                + "stuck       stalled  -          200M / 512M\n"
                + "batch       exited   -          64M / 512M\n");
  }

  @Test
  void at24ColumnsNameAndStateStayAndTheHeaderKeepsWholePartsInOrder() {
    assertThat(render(FixedFrames.mixed(), 24, HINT))
        .isEqualTo(
            "22:13:20\n"
                + "every 1s | q to quit\n"
                + "NAME        STATE\n"
                + "api         running\n"
                + "worker-wi~  running\n"
                + "stuck       stalled\n"
                + "batch       exited\n");
    assertThat(render(FixedFrames.mixed(), 12, null))
        .as("narrower than NAME and STATE: cut")
        .isEqualTo("22:13:20\n\nNAME\napi\nworker-wi~\nstuck\nbatch\n");
  }

  @Test
  void aMissingRegistryIsExplainedInsteadOfATable() {
    TopFrame missing =
        new TopModel(
                new FakeClock(Samples.T0),
                SortKey.CPU,
                null,
                "microsandbox home /srv/msb (from MSB_HOME)")
            .update(
                FixedFrames.REG,
                io.microsandbox.metrics.registry.RegistryScan.missing(),
                java.util.Map.of());
    assertThat(render(missing, 200, null))
        .isEqualTo(
            "22:13:20  sandboxes 0  cpu 0.00  mem 0B / 0B  registry /msb-met-0123456789abcdef-v3\n"
                + "registry /msb-met-0123456789abcdef-v3 does not exist yet: no sandbox has started"
                + " under microsandbox home /srv/msb (from MSB_HOME), or microsandbox uses another"
                + " home; waiting for it\n");
  }

  @Test
  void noSandboxesAndEverythingFilteredOutSayWhich() {
    TopFrame none = frameWith(List.of(), 0);
    assertThat(PLAIN.render(none, 100, null)).last().isEqualTo("No running sandboxes.");
    TopFrame filtered = frameWith(List.of(), 3);
    assertThat(PLAIN.render(filtered, 100, null))
        .containsExactly(
            "22:13:20  sandboxes 0  cpu 0.00  mem 0B / 0B  registry /msb-met-0123456789abcdef-v3",
            "3 hidden by --filter",
            "No sandboxes match the filter.");
  }

  @Test
  void coloursStateAndDimsExitedRowsWithoutChangingTheLayout() {
    TopRenderer colour = new TopRenderer(true, ZoneOffset.UTC);
    List<String> lines = colour.render(FixedFrames.mixed(), 140, null);
    assertThat(lines.get(3)).contains("\033[1;32mrunning\033[0m");
    assertThat(lines.get(5)).contains("\033[1;33mstalled\033[0m").contains("\033[33mno sample 42s");
    assertThat(lines.get(6)).startsWith("\033[2mbatch");
    List<String> plain = PLAIN.render(FixedFrames.mixed(), 140, null);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).replaceAll("\033\\[[0-9;]*m", "")).isEqualTo(plain.get(i));
    }
    assertThat(String.join("", plain)).doesNotContain("\033");
  }

  @Test
  void controlCharactersInANameNeverReachTheTerminal() {
    TopFrame f = FixedFrames.mixed();
    TopRow evil =
        new TopRow(
            f.rows().get(0).snapshot().toBuilder().name("x\033[2Jy\u009b").build(),
            SandboxState.RUNNING,
            Allocation.UNKNOWN,
            java.util.Map.of(),
            null,
            0);
    TopFrame g = new TopFrame(f.atMs(), f.registry(), List.of(evil), f.totals(), 0, null, false);
    assertThat(PLAIN.render(g, 100, null).get(3)).startsWith("x\\u001b[2Jy\\u009b  running");
  }

  @Test
  void bidiControlsInANameAreEscaped() {
    TopFrame g = frameWithNames("web-\u202Etxt.exe\u202C", "b\u200Fc");
    List<String> lines = PLAIN.render(g, 120, null);
    assertThat(String.join("\n", lines)).doesNotContain("\u202E", "\u202C", "\u200F");
    assertThat(lines.get(3)).startsWith("web-\\u202etxt.exe\\u202c  running");
  }

  @Test
  void wideAndZeroWidthCharactersKeepTheColumnsAligned() {
    // two columns per ideograph, none for the combining acute accent
    TopFrame g = frameWithNames("\u65E5\u672C\u8A9E", "e\u0301e\u0301", "plain");
    List<String> lines = PLAIN.render(g, 120, null);
    int state = DisplayWidth.of(lines.get(2).substring(0, lines.get(2).indexOf("STATE")));
    for (int i = 3; i < lines.size(); i++) {
      String line = lines.get(i);
      assertThat(DisplayWidth.of(line.substring(0, line.indexOf("running"))))
          .as("STATE column of %s", line)
          .isEqualTo(state);
    }
    // a name cut to fit ends on a whole character, in display columns
    TopFrame wide = frameWithNames("\u65E5".repeat(40), "x");
    for (String line : PLAIN.render(wide, 60, null)) {
      assertThat(DisplayWidth.of(line)).as(line).isLessThanOrEqualTo(60);
    }
  }

  private static TopFrame frameWithNames(String... names) {
    TopFrame f = FixedFrames.mixed();
    List<TopRow> rows = new java.util.ArrayList<>();
    for (String name : names) {
      rows.add(
          new TopRow(
              f.rows().get(0).snapshot().toBuilder().name(name).build(),
              SandboxState.RUNNING,
              Allocation.UNKNOWN,
              java.util.Map.of(),
              null,
              0));
    }
    return new TopFrame(f.atMs(), f.registry(), rows, f.totals(), 0, null, false);
  }

  private static TopFrame frameWith(List<TopRow> rows, int hidden) {
    return new TopFrame(
        Samples.T0,
        FixedFrames.REG,
        rows,
        new HostTotals(0, 0, 0, 0, 0, false, 0, 0),
        hidden,
        null,
        false);
  }
}
