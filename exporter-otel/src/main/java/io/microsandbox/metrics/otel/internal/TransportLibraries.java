package io.microsandbox.metrics.otel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LinkageError} inside the gRPC transport means for whoever runs it: which library is
 * at fault (OkHttp, Okio or the Kotlin standard library OkHttp is written in), which version of it
 * is on the class path (from its jar), and which one the transport needs. Such an error never goes
 * away by retrying: the exporter stops for good ({@code ExportResult.fatal}) with this line.
 *
 * <p>The versions the transport is built and tested with come from the build (the parent pom's
 * {@code okhttp.version}, {@code okio.version}, {@code okhttp.oldest.version}).
 */
public final class TransportLibraries {
  private static final Properties BUILT = load();
  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d+(?:\\.\\d+)+[^/]*?)\\.jar$");

  /** One library the transport depends on. */
  private enum Library {
    OKIO("Okio", "okio.Okio"),
    OKHTTP("OkHttp", "okhttp3.OkHttpClient"),
    KOTLIN("the Kotlin standard library", "kotlin.Unit");

    final String title;
    final String probe;

    Library(String title, String probe) {
      this.title = title;
      this.probe = probe;
    }
  }

  private TransportLibraries() {}

  /** The {@link LinkageError} in {@code t}'s causes or suppressed exceptions, else null. */
  public static @Nullable LinkageError linkageError(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LinkageError) {
        return (LinkageError) c;
      }
      for (Throwable s : c.getSuppressed()) {
        if (s instanceof LinkageError) {
          return (LinkageError) s;
        }
      }
    }
    return null;
  }

  /**
   * One line naming the error, the library, the version found and the version needed, e.g. {@code
   * NoSuchMethodError 'okio.Socket okio.Okio.socket(java.net.Socket)': Okio 3.6.0
   * (okio-jvm-3.6.0.jar) is on the class path, OkHttp 5.5.0 needs Okio 3.18.1}.
   */
  public static String describe(LinkageError e) {
    String what =
        e.getClass().getSimpleName() + " " + (e.getMessage() == null ? "" : e.getMessage());
    Library library = libraryOf(e);
    if (library == null) {
      return what.trim() + ": " + needed();
    }
    return what.trim() + ": " + library.title + " " + found(library) + ", " + neededFor(library);
  }

  private static @Nullable Library libraryOf(LinkageError e) {
    String m = String.valueOf(e.getMessage()).replace('/', '.');
    // the first library named wins: "okhttp3.internal... okio.Okio.socket" is Okio's method missing
    int best = Integer.MAX_VALUE;
    Library found = null;
    for (Library l : Library.values()) {
      int i = m.indexOf(l.probe.substring(0, l.probe.indexOf('.') + 1));
      if (i >= 0 && i < best) {
        best = i;
        found = l;
      }
    }
    return found;
  }

  /** "4.12.0 (okhttp-4.12.0.jar) is on the class path", or "is not on the class path". */
  static String found(Library library) {
    Class<?> probe;
    try {
      probe = Class.forName(library.probe, false, TransportLibraries.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return "is not on the class path";
    }
    String version = null;
    String jar = null;
    if (library == Library.OKHTTP) {
      version = okHttpVersion();
    }
    CodeSource source = probe.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location != null) {
      String path = location.getPath();
      jar = path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
      Matcher m = JAR_VERSION.matcher(path);
      if (version == null && m.find()) {
        version = m.group(1);
      }
    }
    if (version == null && probe.getPackage() != null) {
      version = probe.getPackage().getImplementationVersion();
    }
    return (version == null ? "of an unknown version" : version)
        + (jar == null ? "" : " (" + jar + ")")
        + " is on the class path";
  }

  private static String neededFor(Library library) {
    String okhttp = okHttpVersion();
    switch (library) {
      case OKHTTP:
        return "the gRPC transport needs " + needed();
      case OKIO:
        return okhttp == null || okhttp.equals(BUILT.getProperty("okhttp"))
            ? "OkHttp " + BUILT.getProperty("okhttp") + " needs Okio " + BUILT.getProperty("okio")
            : "OkHttp " + okhttp + " needs the Okio version its pom declares";
      case KOTLIN:
      default:
        return "OkHttp "
            + (okhttp == null ? "" : okhttp + " ")
            + "needs the Kotlin standard library version its pom declares";
    }
  }

  private static String needed() {
    return "OkHttp "
        + BUILT.getProperty("okhttp.oldest")
        + " or newer (tested with "
        + BUILT.getProperty("okhttp.oldest")
        + " and "
        + BUILT.getProperty("okhttp")
        + "), with the Okio and Kotlin standard library its pom declares";
  }

  /**
   * The jars that each hold OkHttp's classes, when there is more than one (Maven keeps {@code
   * okhttp} 4.x and {@code okhttp-jvm} 5.x side by side: two artifactIds); empty when there is one
   * or none.
   */
  public static List<String> duplicateOkHttpJars(ClassLoader loader) {
    List<String> jars = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources("okhttp3/OkHttpClient.class"))) {
        String path = url.getPath();
        int bang = path.indexOf("!/");
        String jar = bang >= 0 ? path.substring(0, bang) : path;
        jars.add(jar.substring(jar.lastIndexOf('/') + 1));
      }
    } catch (IOException e) {
      return List.of();
    }
    return jars.size() > 1 ? List.copyOf(jars) : List.of();
  }

  /** {@code okhttp3.OkHttp.VERSION}, or null without a usable OkHttp. */
  private static @Nullable String okHttpVersion() {
    try {
      Object v =
          Class.forName("okhttp3.OkHttp", true, TransportLibraries.class.getClassLoader())
              .getField("VERSION")
              .get(null);
      return v instanceof String ? (String) v : null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in =
        TransportLibraries.class.getResourceAsStream("transport-libraries.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // the messages then say "null"; nothing else depends on it
    }
    p.putIfAbsent("okhttp", "5.x");
    p.putIfAbsent("okio", "3.x");
    p.putIfAbsent("okhttp.oldest", "4.12");
    return p;
  }
}
