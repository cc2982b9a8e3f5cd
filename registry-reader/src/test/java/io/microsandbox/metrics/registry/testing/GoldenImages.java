package io.microsandbox.metrics.registry.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden registry images written by microsandbox itself ({@code ../shared/golden}, found via
 * system property {@code msb.golden.dir}): {@code <scenario>.shm} plus {@code
 * <scenario>.expected.json}. Every scenario present is discovered, so new ones are tested without
 * code changes.
 */
public final class GoldenImages {
  /** Parses integers as {@link java.math.BigInteger} when they exceed a long (u64 values). */
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private GoldenImages() {}

  /** The golden directory. */
  public static Path dir() {
    String dir = System.getProperty("msb.golden.dir");
    if (dir == null) {
      throw new IllegalStateException("system property msb.golden.dir is not set (see pom.xml)");
    }
    return Path.of(dir);
  }

  /** Every scenario that has both an image and an expected file, sorted. */
  public static List<String> scenarios() {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".expected.json"))
          .map(n -> n.substring(0, n.length() - ".expected.json".length()))
          .filter(s -> Files.exists(dir().resolve(s + ".shm")))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The raw bytes of {@code <scenario>.shm}. */
  public static byte[] image(String scenario) {
    try {
      return Files.readAllBytes(dir().resolve(scenario + ".shm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <scenario>.expected.json}, u64 values as exact integers. */
  public static JsonNode expected(String scenario) {
    try {
      return JSON.readTree(dir().resolve(scenario + ".expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Plants {@code <scenario>.shm} as shared-memory object {@code shmName}. */
  public static void install(String scenario, String shmName) {
    ShmFiles.write(shmName, image(scenario));
  }
}
