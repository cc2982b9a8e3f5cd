package io.microsandbox.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.registry.testing.GoldenImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RegistryNameTest {

  @Test
  void everyGoldenVectorHashesToItsName() throws IOException {
    List<String[]> vectors =
        Files.readAllLines(GoldenImages.dir().resolve("names.txt"), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(l -> l.split("\t", -1))
            .collect(Collectors.toList());
    assertThat(vectors).hasSizeGreaterThanOrEqualTo(7);
    for (String[] v : vectors) {
      assertThat(RegistryName.forHome(v[0])).as("home %s", v[0]).isEqualTo(v[1]);
    }
  }

  @Test
  void hashIsZeroPaddedToSixteenDigits() {
    assertThat(RegistryName.forHome("/home/u43900")).isEqualTo("/msb-met-0097600f1dce42bb-v3");
    assertThat(RegistryName.forHome("")).isEqualTo("/msb-met-cbf29ce484222325-v3");
    assertThat(RegistryName.fnv1a64("a".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(0xaf63dc4c8601ec8cL);
  }

  @Test
  void flagBeatsMsbHomeBeatsHome() {
    Map<String, String> env = Map.of("MSB_HOME", "/srv/msb", "HOME", "/home/alice");
    assertThat(RegistryName.resolveHome("/flag", env)).isEqualTo("/flag");
    assertThat(RegistryName.resolveHome(null, env)).isEqualTo("/srv/msb");
    assertThat(RegistryName.resolveHome(null, Map.of("HOME", "/home/alice")))
        .isEqualTo("/home/alice/.microsandbox");
    assertThat(RegistryName.resolve(null, Map.of("HOME", "/home/alice")))
        .isEqualTo("/msb-met-609e1b201052d550-v3");
    assertThat(RegistryName.resolveHome(null, Map.of("MSB_HOME", "/srv/msb/")))
        .as("used as given, no trimming")
        .isEqualTo("/srv/msb/");
  }

  @Test
  void noHomeAtAllIsAClearError() {
    assertThatThrownBy(() -> RegistryName.resolveHome(null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--msb-home");
  }
}
