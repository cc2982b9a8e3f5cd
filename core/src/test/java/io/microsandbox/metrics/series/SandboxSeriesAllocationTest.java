package io.microsandbox.metrics.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import org.junit.jupiter.api.Test;

/** The two series that take the catalog's allocation into account. */
class SandboxSeriesAllocationTest {
  private static final long MIB = 1024L * 1024L;

  private static final SandboxSnapshot BOOTED_WITH_512 =
      SandboxSnapshot.builder()
          .sandboxId(1)
          .name("a")
          .raw(SampleField.MEMORY_LIMIT_BYTES, 512 * MIB)
          .build();

  @Test
  void theMemoryLimitFollowsTheCatalogWhenItsMemoryIsKnown() {
    Allocation resized = new Allocation(2, 1024, 2, 1024, 1000, false);

    assertThat(SandboxSeries.MEMORY_LIMIT.longValue(BOOTED_WITH_512, resized))
        .isEqualTo(1024 * MIB);
  }

  @Test
  void theMemoryLimitIsTheRegistrysWhenTheCatalogsIsUnknown() {
    Allocation cpusOnly = new Allocation(2, 0, 0, 0, 0, false);

    assertThat(SandboxSeries.MEMORY_LIMIT.longValue(BOOTED_WITH_512, cpusOnly))
        .isEqualTo(512 * MIB);
    assertThat(SandboxSeries.MEMORY_LIMIT.longValue(BOOTED_WITH_512, Allocation.UNKNOWN))
        .isEqualTo(512 * MIB);
  }

  @Test
  void theCpuLimitIsTheVcpusAndAbsentWhenUnknown() {
    Allocation two = new Allocation(2, 0, 0, 0, 0, false);

    assertThat(SandboxSeries.CPU_LIMIT.appliesTo(BOOTED_WITH_512, two)).isTrue();
    assertThat(SandboxSeries.CPU_LIMIT.longValue(BOOTED_WITH_512, two)).isEqualTo(2);
    assertThat(SandboxSeries.CPU_LIMIT.appliesTo(BOOTED_WITH_512, Allocation.UNKNOWN)).isFalse();
    assertThat(
            SandboxSeries.pointsOf(BOOTED_WITH_512, two)
                - SandboxSeries.pointsOf(BOOTED_WITH_512, Allocation.UNKNOWN))
        .isEqualTo(1);
  }

  @Test
  void theCpuLimitIsAnIntegerGaugeCountingCpus() {
    assertThat(SandboxSeries.CPU_LIMIT.kind()).isEqualTo(SandboxSeries.Kind.LONG_GAUGE);
    assertThat(SandboxSeries.CPU_LIMIT.unit()).isEqualTo("{cpu}");
    assertThat(SandboxSeries.CPU_LIMIT.metricName()).isEqualTo("microsandbox.cpu.limit");
    assertThat(SandboxSeries.CPU_LIMIT.prometheusName()).isEqualTo("microsandbox_cpu_limit");
  }

  @Test
  void aHugeMemoryMibSaturatesInsteadOfWrapping() {
    Allocation huge = new Allocation(1, Long.MAX_VALUE / 2, 0, 0, 0, false);

    assertThat(SandboxSeries.MEMORY_LIMIT.longValue(BOOTED_WITH_512, huge))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anAllocationRefusesNegativeNumbersAndAnIntervalWithSamplingOff() {
    assertThatThrownBy(() -> new Allocation(-1, 0, 0, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpus=-1");
    assertThatThrownBy(() -> new Allocation(1, 0, 0, 0, 1000, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampling is off");
    assertThat(new Allocation(1, 0, 0, 0, 0, true).samplingKnown()).isTrue();
    assertThat(Allocation.UNKNOWN.samplingKnown()).isFalse();
  }
}
