package io.microsandbox.metrics.registry.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The golden registry images written by microsandbox 0.6.14's own registry code, kept in this
 * module's test resources under {@code golden/} (see the README there): {@code <scenario>.shm} plus
 * {@code <scenario>.expected.json}, and the name vectors {@code names.txt}. Every scenario present
 * is discovered, so new ones are tested without code changes. System property {@code
 * msb.golden.dir} points elsewhere, to check a newer set of images without copying them in.
 */
public final class GoldenImages {
  /** Parses integers as {@link java.math.BigInteger} when they exceed a long (u64 values). */
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static final String RESOURCE_DIR = "golden";
  private static final List<String> FILES =
      List.of(
          "README.md",
          "names.txt",
          "basic.shm",
          "basic.after-snapshot.shm",
          "basic.expected.json",
          "edge.shm",
          "edge.after-snapshot.shm",
          "edge.expected.json");

  private static @Nullable Path dir;

  private GoldenImages() {}

  /**
   * The golden directory: {@code msb.golden.dir} if set, else this module's resources, copied to a
   * temporary directory once when they are read from a jar.
   */
  public static synchronized Path dir() {
    Path found = dir;
    if (found == null) {
      String override = System.getProperty("msb.golden.dir");
      found = override != null ? Path.of(override) : fromClasspath();
      dir = found;
    }
    return found;
  }

  private static Path fromClasspath() {
    URL names = GoldenImages.class.getClassLoader().getResource(RESOURCE_DIR + "/names.txt");
    if (names == null) {
      throw new IllegalStateException(
          "golden images missing from registry-reader's test resources");
    }
    try {
      if ("file".equals(names.getProtocol())) {
        return Path.of(names.toURI()).resolveSibling(""); // the directory of names.txt
      }
      Path copy = Files.createTempDirectory("msb-golden-");
      for (String file : FILES) {
        try (InputStream in =
            GoldenImages.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "/" + file)) {
          Files.copy(in, copy.resolve(file));
        }
      }
      copy.toFile().deleteOnExit();
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
