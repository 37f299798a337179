package org.hgrpc.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM file holding a private key and its certificate chain, as {@code hg serve
 * --certificate} takes one, into an in-memory key store for Jetty.
 */
final class PemKeyStore {
  static final char[] PASSWORD = "hgrpc".toCharArray();
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeyStore() {}

  static KeyStore load(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    PrivateKey key = null;
    List<Certificate> chain = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY":
          key = privateKey(der);
          break;
        case "CERTIFICATE":
          chain.add(cf.generateCertificate(new ByteArrayInputStream(der)));
          break;
        default:
          throw new GeneralSecurityException(pem + ": unsupported PEM block " + m.group(1)
              + " (use an unencrypted PKCS#8 'PRIVATE KEY', e.g. from openssl pkcs8 -topk8 -nocrypt)");
      }
    }
    if (key == null || chain.isEmpty()) {
      throw new GeneralSecurityException(pem + ": needs a PRIVATE KEY and at least one CERTIFICATE block");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("hgrpc", key, PASSWORD, chain.toArray(new Certificate[0]));
    return ks;
  }

  private static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unsupported private key type", last);
  }
}
