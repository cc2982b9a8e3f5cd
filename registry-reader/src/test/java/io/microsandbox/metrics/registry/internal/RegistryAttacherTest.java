package io.microsandbox.metrics.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.registry.RegistryException;
import io.microsandbox.metrics.registry.RegistryException.Problem;
import org.junit.jupiter.api.Test;

/** The errno mapping, testable even as root (where a real EACCES cannot be provoked). */
class RegistryAttacherTest {
  @Test
  void eaccesTellsTheUserToRunAsMicrosandboxsUser() {
    RegistryException e = new RegistryAttacher("/msb-met-x-v3", 0).openError(Posix.EACCES);
    assertThat(e.problem()).isEqualTo(Problem.PERMISSION_DENIED);
    assertThat(e.getMessage())
        .contains("/msb-met-x-v3")
        .contains("run as the same Unix user as microsandbox")
        .contains("run as the same Unix user as msb")
        .doesNotContain("\n");
  }

  @Test
  void otherErrnoNamesTheCall() {
    RegistryException e = new RegistryAttacher("/msb-met-x-v3", 0).openError(24);
    assertThat(e.problem()).isEqualTo(Problem.OS_ERROR);
    assertThat(e.getMessage())
        .isEqualTo("metrics registry /msb-met-x-v3: shm_open failed with errno 24");
  }
}
