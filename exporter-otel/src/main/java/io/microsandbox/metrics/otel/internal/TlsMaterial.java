package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.InvalidSettingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The TLS context of an OTLP connection built from PEM bytes: the JVM's default trust plus extra CA
 * certificates, and optionally a client certificate and key for mutual TLS.
 *
 * <p>Why not the SDK's {@code setTrustedCertificates}: it <em>replaces</em> the default trust, so a
 * private CA added for one hop would break a public gateway behind it. Here the CA is added to the
 * system trust, as docs/commands.md promises for {@code --ca-cert}.
 */
public final class TlsMaterial {
  private static final Pattern PEM_BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----", Pattern.DOTALL);
  // DER prefix of a PKCS#8 PrivateKeyInfo wrapping an RSA key: version 0 + rsaEncryption OID.
  private static final byte[] RSA_ALGORITHM_ID = {
    0x02,
    0x01,
    0x00,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final char[] KEYSTORE_PASSWORD = "msb-metrics".toCharArray();

  private final SSLContext sslContext;
  private final X509TrustManager trustManager;

  private TlsMaterial(SSLContext sslContext, X509TrustManager trustManager) {
    this.sslContext = sslContext;
    this.trustManager = trustManager;
  }

  /** {@link InvalidSettingException#setting()} of a CA certificate that cannot be used. */
  public static final String CA_SETTING = "trustedCertificates";

  /** {@link InvalidSettingException#setting()} of a client key that cannot be used. */
  public static final String CLIENT_KEY_SETTING = "clientTls.privateKeyPem";

  /** {@link InvalidSettingException#setting()} of a client certificate that cannot be used. */
  public static final String CLIENT_CERTIFICATE_SETTING = "clientTls.certificatePem";

  /**
   * Builds the TLS context.
   *
   * @param caPem extra trusted CA certificates, or null for the JVM's default trust only
   * @param clientKeyPem the client's private key for mTLS, or null
   * @param clientCertPem the client's certificate chain, required with {@code clientKeyPem}
   * @throws InvalidSettingException when a PEM does not parse or cannot be used, with a one-line
   *     reason and the setting it came from ({@link #CA_SETTING}, {@link #CLIENT_KEY_SETTING},
   *     {@link #CLIENT_CERTIFICATE_SETTING})
   */
  public static TlsMaterial create(
      byte @Nullable [] caPem, byte @Nullable [] clientKeyPem, byte @Nullable [] clientCertPem) {
    if ((clientKeyPem == null) != (clientCertPem == null)) {
      throw new InvalidSettingException(
          clientKeyPem == null ? CLIENT_KEY_SETTING : CLIENT_CERTIFICATE_SETTING,
          "a client certificate and its key go together");
    }
    X509TrustManager trust;
    try {
      trust = trustManager(caPem);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new InvalidSettingException(CA_SETTING, "TLS setup failed: " + e.getMessage(), e);
    }
    try {
      KeyManager[] keys = clientKeyPem == null ? null : keyManagers(clientKeyPem, clientCertPem);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      return new TlsMaterial(context, trust);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new InvalidSettingException(
          CLIENT_CERTIFICATE_SETTING, "TLS setup failed: " + e.getMessage(), e);
    }
  }

  /** The SSL context for the sender. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** The trust manager the context was built with (the SDK sender needs both). */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  private static X509TrustManager trustManager(byte @Nullable [] caPem)
      throws GeneralSecurityException, java.io.IOException {
    X509TrustManager system = x509(trustManagerFactory(null));
    if (caPem == null) {
      return system;
    }
    List<X509Certificate> extra = certificates(caPem, "CA certificate", CA_SETTING);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (X509Certificate c : system.getAcceptedIssuers()) {
      store.setCertificateEntry("system-" + i++, c);
    }
    for (X509Certificate c : extra) {
      store.setCertificateEntry("extra-" + i++, c);
    }
    return x509(trustManagerFactory(store));
  }

  private static TrustManagerFactory trustManagerFactory(@Nullable KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f;
  }

  private static X509TrustManager x509(TrustManagerFactory f) {
    for (TrustManager m : f.getTrustManagers()) {
      if (m instanceof X509TrustManager) {
        return (X509TrustManager) m;
      }
    }
    throw new IllegalStateException("the JVM offers no X509TrustManager");
  }

  private static KeyManager[] keyManagers(byte[] keyPem, byte[] certPem)
      throws GeneralSecurityException, java.io.IOException {
    List<X509Certificate> chain =
        certificates(certPem, "client certificate", CLIENT_CERTIFICATE_SETTING);
    PrivateKey key = privateKey(keyPem);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, KEYSTORE_PASSWORD, chain.toArray(new Certificate[0]));
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, KEYSTORE_PASSWORD);
    return f.getKeyManagers();
  }

  private static List<X509Certificate> certificates(byte[] pem, String what, String setting)
      throws GeneralSecurityException {
    Collection<? extends Certificate> parsed;
    try {
      parsed =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(setting, what + " is not a PEM X.509 certificate");
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : parsed) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new InvalidSettingException(setting, what + " file holds no certificate");
    }
    return out;
  }

  private static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1(der));
        case "ENCRYPTED PRIVATE KEY":
          throw new InvalidSettingException(
              CLIENT_KEY_SETTING, "client key is encrypted; give an unencrypted key");
        case "EC PRIVATE KEY":
          throw new InvalidSettingException(
              CLIENT_KEY_SETTING,
              "client key is a SEC1 EC key; convert it: openssl pkcs8 -topk8 -nocrypt");
        default:
          // other blocks (parameters, certificates) are skipped
      }
    }
    throw new InvalidSettingException(CLIENT_KEY_SETTING, "client key holds no PEM private key");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException ignored) {
        // not this algorithm; try the next
      }
    }
    throw new InvalidSettingException(
        CLIENT_KEY_SETTING, "client key is not an RSA, EC or EdDSA PKCS#8 key");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK can read. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream octets = new ByteArrayOutputStream();
    octets.write(0x04);
    writeLength(octets, pkcs1.length);
    octets.writeBytes(pkcs1);
    byte[] body = concat(RSA_ALGORITHM_ID, octets.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
