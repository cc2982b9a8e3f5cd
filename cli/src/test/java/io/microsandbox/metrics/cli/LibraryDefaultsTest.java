package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The collector flags' defaults are the library's constants, not numbers of the CLI's own. */
class LibraryDefaultsTest {

  private static Object parsed(String... args) {
    ParseResult r = new CommandLine(new MsbMetrics()).parseArgs(args);
    return r.subcommand().commandSpec().userObject();
  }

  private static CollectorOptions collector(Object command) {
    if (command instanceof OtelCommand) {
      return ((OtelCommand) command).collector;
    }
    if (command instanceof DemoCommand) {
      return ((DemoCommand) command).otel.collector;
    }
    if (command instanceof PrometheusCommand) {
      return ((PrometheusCommand) command).collector;
    }
    return ((StdoutCommand) command).collector;
  }

  private static ExportOptions export(Object command) {
    if (command instanceof OtelCommand) {
      return ((OtelCommand) command).export;
    }
    if (command instanceof DemoCommand) {
      return ((DemoCommand) command).otel.export;
    }
    return ((StdoutCommand) command).export;
  }

  @Test
  void everyCollectingCommandDefaultsToTheCollectorsConstants() {
    for (Object command :
        new Object[] {
          parsed("otel", "--endpoint", "http://h:4317"),
          parsed("stdout"),
          parsed("demo"),
          parsed("prometheus", "--listen", ":0")
        }) {
      CollectorOptions o = collector(command);
      assertThat(o.collectInterval()).isEqualTo(MetricsCollector.DEFAULT_COLLECT_INTERVAL);
      assertThat(o.maxSampleAge()).isEqualTo(MetricsCollector.DEFAULT_MAX_SAMPLE_AGE);
    }
  }

  @Test
  void otelDefaultsToTheLibrarysFlushBufferAndTimeout() {
    ExportOptions o = export(parsed("otel", "--endpoint", "http://h:4317"));
    assertThat(o.flushInterval()).isEqualTo(MetricsCollector.DEFAULT_FLUSH_INTERVAL);
    assertThat(o.maxBuffered()).isEqualTo(MetricsCollector.DEFAULT_MAX_BUFFERED);
    assertThat(o.exportTimeout()).isEqualTo(MetricsCollector.DEFAULT_EXPORT_TIMEOUT);
  }

  /** The commands that print flush every second, so their first lines come at once. */
  @Test
  void theDemoAndStdoutFlushEverySecondWithTheLibrarysOtherDefaults() {
    for (Object command : new Object[] {parsed("demo"), parsed("stdout")}) {
      ExportOptions o = export(command);
      assertThat(o.flushInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(o.exportTimeout()).isEqualTo(MetricsCollector.DEFAULT_EXPORT_TIMEOUT);
      assertThat(o.maxBuffered()).isEqualTo(MetricsCollector.DEFAULT_MAX_BUFFERED);
    }
    assertThat(export(parsed("stdout", "--flush-interval", "10s")).flushInterval())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void helpShowsTheDefaultsAsFlagsAreWritten() {
    String help = new CommandLine(new MsbMetrics()).getSubcommands().get("otel").getUsageMessage();
    assertThat(help).contains("(default: 10s)", "(default: 1s)", "(default: 60)");
  }
}
