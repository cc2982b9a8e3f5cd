package io.microsandbox.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The layout table checks itself when loaded, and its checks catch a table out of step. */
class RegistryLayoutTest {

  @Test
  void theTableIsConsistentAndSizesFollowFromIt() {
    assertThat(RegistryLayout.registrySize(1024)).isEqualTo(256 + 1024L * 512);
    assertThat(RegistryLayout.slotOffset(2)).isEqualTo(256 + 2 * 512);
    assertThat(RegistryLayout.S_NAME + RegistryLayout.NAME_MAX + RegistryLayout.SLOT_TAIL_LEN)
        .isEqualTo(RegistryLayout.SLOT_LEN);
    for (SampleField f : SampleField.values()) {
      assertThat(RegistryLayout.offsetOf(f) % 8).as(f.name()).isZero();
    }
  }

  @Test
  void overlappingMisalignedOrShortTablesAreRefused() {
    assertThatThrownBy(() -> RegistryLayout.requireOrdered("t", new int[][] {{0, 8}, {4, 4}}, 8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0x4");
    assertThatThrownBy(() -> RegistryLayout.requireOrdered("t", new int[][] {{0, 4}, {4, 8}}, 12))
        .hasMessageContaining("misplaced");
    assertThatThrownBy(() -> RegistryLayout.requireOrdered("t", new int[][] {{0, 8}}, 16))
        .hasMessage("registry layout: t fields end at 8, expected 16");
    RegistryLayout.requireOrdered("t", new int[][] {{0, 4}, {8, 8}, {16, 2}}, 18);
  }
}
