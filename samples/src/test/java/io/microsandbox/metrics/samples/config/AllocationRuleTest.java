package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The "CPU above 90 % of allocation" alert behaves: promtool's rule unit tests
 * (samples/config/prometheus/msb-metrics.rules.test.yml) fire it for a sandbox at 95 % for 10
 * minutes, not for a resized one at 47.5 %, not for one without a known allocation.
 */
class AllocationRuleTest {

  @Test
  void promtoolUnitTestsOfTheRulesPass() throws Exception {
    Optional<ExternalTool> promtool = ExternalTool.find("promtool");
    assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus)");
    Path dir = SampleConfigs.dir().resolve("prometheus");

    ExternalTool.Result r = promtool.get().run(dir, "test", "rules", "msb-metrics.rules.test.yml");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }
}
