package io.microsandbox.metrics.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.registry.SampleField;
import org.junit.jupiter.api.Test;

/** The layout table checks itself when loaded, and its checks catch a table out of step. */
class LayoutTest {

  @Test
  void theTableIsConsistentAndSizesFollowFromIt() {
    assertThat(Layout.registrySize(1024)).isEqualTo(256 + 1024L * 512);
    assertThat(Layout.slotOffset(2)).isEqualTo(256 + 2 * 512);
    assertThat(Layout.S_NAME + Layout.NAME_MAX + Layout.SLOT_TAIL_LEN).isEqualTo(Layout.SLOT_LEN);
    for (SampleField f : SampleField.values()) {
      assertThat(Layout.offsetOf(f) % 8).as(f.name()).isZero();
    }
  }

  @Test
  void overlappingMisalignedOrShortTablesAreRefused() {
    assertThatThrownBy(() -> Layout.requireOrdered("t", new int[][] {{0, 8}, {4, 4}}, 8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0x4");
    assertThatThrownBy(() -> Layout.requireOrdered("t", new int[][] {{0, 4}, {4, 8}}, 12))
        .hasMessageContaining("misplaced");
    assertThatThrownBy(() -> Layout.requireOrdered("t", new int[][] {{0, 8}}, 16))
        .hasMessage("registry layout: t fields end at 8, expected 16");
    Layout.requireOrdered("t", new int[][] {{0, 4}, {8, 8}, {16, 2}}, 18);
  }
}
