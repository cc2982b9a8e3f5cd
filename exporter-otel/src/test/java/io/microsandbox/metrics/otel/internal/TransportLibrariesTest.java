package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A LinkageError inside the gRPC transport stops the exporter for good, with a message naming the
 * library, the version on the class path and the version needed (this build's OkHttp 5.5.0 and Okio
 * 3.18.1 are on the test class path).
 */
class TransportLibrariesTest {
  private static final String ENDPOINT = "http://127.0.0.1:4317";

  /**
   * What OkHttp hands its callback when its own thread hit an Error: a wrapper, the Error
   * suppressed.
   */
  private static IOException asOkHttpReportsIt(Throwable error) {
    IOException canceled = new IOException("canceled due to " + error);
    canceled.addSuppressed(error);
    return canceled;
  }

  @Test
  void anOkioMethodMissingIsFatalAndNamesOkioItsJarAndTheOkioNeeded() {
    ExportResult r =
        ExportFailures.classify(
            SendResult.failed(
                SendResult.Protocol.GRPC,
                asOkHttpReportsIt(
                    new NoSuchMethodError("'okio.Socket okio.Okio.socket(java.net.Socket)'"))),
            ENDPOINT);

    assertThat(r.isFatal()).isTrue();
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.message())
        .contains("gRPC transport to " + ENDPOINT + " cannot run")
        .contains("NoSuchMethodError 'okio.Socket okio.Okio.socket(java.net.Socket)'")
        .contains("Okio 3.18.1 (okio-jvm-3.18.1.jar) is on the class path")
        .contains("OkHttp 5.5.0 needs Okio 3.18.1");
  }

  @Test
  void anOkHttpClassMissingNamesOkHttpAndTheVersionsTheTransportRunsOn() {
    ExportResult r =
        ExportFailures.classify(
            SendResult.failed(
                SendResult.Protocol.GRPC, new NoClassDefFoundError("okhttp3/OkHttpClient$Builder")),
            ENDPOINT);

    assertThat(r.isFatal()).isTrue();
    assertThat(r.message())
        .contains("OkHttp 5.5.0 (okhttp-jvm-5.5.0.jar) is on the class path")
        .contains("needs OkHttp 4.12.0 or newer");
  }

  @Test
  void aKotlinClassMissingNamesTheKotlinStandardLibrary() {
    String message =
        TransportLibraries.describe(new NoClassDefFoundError("kotlin/jvm/internal/Intrinsics"));

    assertThat(message)
        .startsWith("NoClassDefFoundError kotlin/jvm/internal/Intrinsics: ")
        .contains("the Kotlin standard library")
        .contains("kotlin-stdlib")
        .contains("OkHttp 5.5.0 needs the Kotlin standard library version its pom declares");
  }

  @Test
  void anOrdinaryTransportFailureStaysRetryable() {
    ExportResult r =
        ExportFailures.classify(
            SendResult.failed(SendResult.Protocol.GRPC, new IOException("connection reset")),
            ENDPOINT);

    assertThat(r.isFatal()).isFalse();
    assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
  }

  @Test
  void okHttpInTwoJarsIsNamedWithBothJars() throws Exception {
    ClassLoader twoCopies =
        new ClassLoader(null) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            return Collections.enumeration(
                List.of(
                    new URL("jar:file:/m2/okhttp-4.12.0.jar!/" + name),
                    new URL("jar:file:/m2/okhttp-jvm-5.5.0.jar!/" + name)));
          }
        };

    assertThat(TransportLibraries.duplicateOkHttpJars(twoCopies))
        .containsExactly("okhttp-4.12.0.jar", "okhttp-jvm-5.5.0.jar");
    // this module's own class path: one OkHttp
    assertThat(TransportLibraries.duplicateOkHttpJars(getClass().getClassLoader())).isEmpty();
  }

  @Test
  void theLinkageErrorIsFoundAmongCausesAndSuppressedOnly() {
    NoSuchMethodError e = new NoSuchMethodError("x");
    assertThat(TransportLibraries.linkageError(new IOException(new RuntimeException(e))))
        .isSameAs(e);
    assertThat(TransportLibraries.linkageError(asOkHttpReportsIt(e))).isSameAs(e);
    assertThat(TransportLibraries.linkageError(new IOException("no"))).isNull();
    assertThat(TransportLibraries.linkageError(null)).isNull();
  }
}
