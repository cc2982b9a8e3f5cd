package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The collector flags' defaults are the library's constants, not numbers of the CLI's own. */
class LibraryDefaultsTest {

  private static CollectorOptions parsed(String... args) {
    ParseResult r = new CommandLine(new MsbMetrics()).parseArgs(args);
    Object command = r.subcommand().commandSpec().userObject();
    if (command instanceof OtelCommand) {
      return ((OtelCommand) command).collector;
    }
    if (command instanceof DemoCommand) {
      return ((DemoCommand) command).otel.collector;
    }
    return ((StdoutCommand) command).collector;
  }

  @Test
  void otelAndStdoutDefaultToTheCollectorsConstants() {
    for (CollectorOptions o :
        new CollectorOptions[] {parsed("otel", "--endpoint", "http://h:4317"), parsed("stdout")}) {
      assertThat(o.collectInterval()).isEqualTo(MetricsCollector.DEFAULT_COLLECT_INTERVAL);
      assertThat(o.flushInterval()).isEqualTo(MetricsCollector.DEFAULT_FLUSH_INTERVAL);
      assertThat(o.maxBuffered()).isEqualTo(MetricsCollector.DEFAULT_MAX_BUFFERED);
      assertThat(o.exportTimeout()).isEqualTo(MetricsCollector.DEFAULT_EXPORT_TIMEOUT);
      assertThat(o.maxSampleAge()).isEqualTo(MetricsCollector.DEFAULT_MAX_SAMPLE_AGE);
    }
  }

  @Test
  void theDemoKeepsItsOwnFlushIntervalAndTheLibrarysOtherDefaults() {
    CollectorOptions demo = parsed("demo");
    assertThat(demo.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(demo.exportTimeout()).isEqualTo(MetricsCollector.DEFAULT_EXPORT_TIMEOUT);
    assertThat(demo.maxBuffered()).isEqualTo(MetricsCollector.DEFAULT_MAX_BUFFERED);
  }

  @Test
  void helpShowsTheDefaultsAsFlagsAreWritten() {
    String help = new CommandLine(new MsbMetrics()).getSubcommands().get("otel").getUsageMessage();
    assertThat(help).contains("(default: 10s)", "(default: 1s)", "(default: 60)");
  }
}
