package io.microsandbox.metrics.otel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the JDK's {@code keytool}: a CA, a server certificate for {@code
 * localhost} / {@code 127.0.0.1} and a client certificate, all signed by the CA, as PEM bytes (keys
 * as PKCS#8) and as an {@link SSLContext} for the JDK HTTPS server. Made once per JVM (keytool
 * costs about a second per call) and deleted at JVM exit.
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";
  private static volatile TestCertificates shared;

  private final byte[] caPem;
  private final byte[] serverChainPem;
  private final byte[] serverKeyPem;
  private final byte[] clientChainPem;
  private final byte[] clientKeyPem;
  private final byte[] clientKeyPkcs1Pem;
  private final SSLContext serverSslContext;

  private TestCertificates(Path dir) throws Exception {
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=msb-metrics test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        "ca.p12");
    keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () ->
                leaf(
                    dir,
                    "server",
                    "CN=localhost",
                    "san=dns:localhost,ip:127.0.0.1",
                    "eku=serverAuth"));
    CompletableFuture<Void> client =
        CompletableFuture.runAsync(
            () ->
                leaf(
                    dir,
                    "client",
                    "CN=msb-metrics test client",
                    "san=dns:client",
                    "eku=clientAuth"));
    server.get(60, TimeUnit.SECONDS);
    client.get(60, TimeUnit.SECONDS);
    caPem = Files.readAllBytes(dir.resolve("ca.pem"));
    serverChainPem = concat(Files.readAllBytes(dir.resolve("server.pem")), caPem);
    clientChainPem = Files.readAllBytes(dir.resolve("client.pem"));
    KeyStore serverStore = load(dir.resolve("server.p12"));
    serverKeyPem =
        pem("PRIVATE KEY", serverStore.getKey("server", PASSWORD.toCharArray()).getEncoded());
    Key clientKey = load(dir.resolve("client.p12")).getKey("client", PASSWORD.toCharArray());
    clientKeyPem = pem("PRIVATE KEY", clientKey.getEncoded());
    clientKeyPkcs1Pem = pem("RSA PRIVATE KEY", pkcs1Of(clientKey.getEncoded()));
    serverSslContext = sslContext(dir);
  }

  /** The PKI shared by every test of this JVM. */
  public static TestCertificates shared() {
    TestCertificates c = shared;
    if (c == null) {
      synchronized (TestCertificates.class) {
        c = shared;
        if (c == null) {
          c = create();
          shared = c;
        }
      }
    }
    return c;
  }

  private static TestCertificates create() {
    Path dir;
    try {
      dir = Files.createTempDirectory("msb-otel-pki");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    try {
      return new TestCertificates(dir);
    } catch (Exception e) {
      throw new IllegalStateException("making test certificates failed", e);
    }
  }

  /** The CA certificate, PEM. */
  public byte[] caPem() {
    return caPem.clone();
  }

  /** The server certificate followed by the CA, PEM. */
  public byte[] serverChainPem() {
    return serverChainPem.clone();
  }

  /** The server's private key, PKCS#8 PEM. */
  public byte[] serverKeyPem() {
    return serverKeyPem.clone();
  }

  /** The client certificate, PEM. */
  public byte[] clientCertificatePem() {
    return clientChainPem.clone();
  }

  /** The client's private key, PKCS#8 PEM ({@code PRIVATE KEY}). */
  public byte[] clientKeyPem() {
    return clientKeyPem.clone();
  }

  /** The client's private key, PKCS#1 PEM ({@code RSA PRIVATE KEY}), as older openssl writes. */
  public byte[] clientKeyPkcs1Pem() {
    return clientKeyPkcs1Pem.clone();
  }

  /** The server's TLS context (trusting the CA for client certificates). */
  public SSLContext serverSslContext() {
    return serverSslContext;
  }

  private static void leaf(Path dir, String alias, String dname, String san, String eku) {
    try {
      String store = alias + ".p12";
      keytool(
          dir,
          "-genkeypair",
          "-alias",
          alias,
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          dname,
          "-validity",
          "2",
          "-keystore",
          store);
      keytool(dir, "-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
      keytool(
          dir,
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          "ca.p12",
          "-infile",
          alias + ".csr",
          "-outfile",
          alias + ".pem",
          "-validity",
          "2",
          "-ext",
          san,
          "-ext",
          eku);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output;
    try (InputStream in = p.getInputStream()) {
      output = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static SSLContext sslContext(Path dir) throws Exception {
    // the server key with its CA-signed chain (server.p12 still holds the self-signed request)
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    Certificate[] chain;
    try (InputStream in = Files.newInputStream(dir.resolve("server.pem"))) {
      chain =
          new Certificate[] {
            x509.generateCertificate(in), load(dir.resolve("ca.p12")).getCertificate("ca")
          };
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        load(dir.resolve("server.p12")).getKey("server", PASSWORD.toCharArray()),
        PASSWORD.toCharArray(),
        chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", chain[1]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static byte[] pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The PKCS#1 RSAPrivateKey inside a PKCS#8 RSA PrivateKeyInfo: the content of its last element,
   * the OCTET STRING (DER, so lengths are definite).
   */
  private static byte[] pkcs1Of(byte[] pkcs8) {
    int[] pos = {0};
    readHeader(pkcs8, pos); // outer SEQUENCE
    skipElement(pkcs8, pos); // version INTEGER
    skipElement(pkcs8, pos); // AlgorithmIdentifier SEQUENCE
    int length = readHeader(pkcs8, pos); // OCTET STRING
    byte[] out = new byte[length];
    System.arraycopy(pkcs8, pos[0], out, 0, length);
    return out;
  }

  private static int readHeader(byte[] der, int[] pos) {
    pos[0]++; // tag
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[pos[0]++] & 0xff);
    }
    return length;
  }

  private static void skipElement(byte[] der, int[] pos) {
    int length = readHeader(der, pos);
    pos[0] += length;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
