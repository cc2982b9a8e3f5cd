package io.microsandbox.metrics.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SandboxSeriesTest {

  @Test
  void prometheusNamesFollowTheDefaultOtlpTranslation() {
    assertThat(SandboxSeries.CPU_UTILIZATION.prometheusName())
        .isEqualTo("microsandbox_cpu_utilization_ratio");
    assertThat(SandboxSeries.CPU_TIME.prometheusName())
        .isEqualTo("microsandbox_cpu_time_seconds_total");
    assertThat(SandboxSeries.MEMORY_USAGE.prometheusName())
        .isEqualTo("microsandbox_memory_usage_bytes");
    assertThat(SandboxSeries.UPTIME.prometheusName()).isEqualTo("microsandbox_uptime_seconds");
    // the name already says bytes: no second suffix
    assertThat(SandboxSeries.DISK_BYTES_READ.prometheusName())
        .isEqualTo("microsandbox_disk_bytes_read");
    assertThat(SandboxSeries.NETWORK_BYTES_SENT.prometheusName())
        .isEqualTo("microsandbox_network_bytes_sent");
    assertThat(SandboxSeries.UPPER_HOST_ALLOCATED.prometheusName())
        .isEqualTo("microsandbox_upper_host_allocated_bytes");
  }

  @Test
  void namesAreUnique() {
    assertThat(Arrays.stream(SandboxSeries.all()).map(SandboxSeries::metricName))
        .doesNotHaveDuplicates();
    assertThat(Arrays.stream(SandboxSeries.all()).map(SandboxSeries::prometheusName))
        .doesNotHaveDuplicates();
  }
}
