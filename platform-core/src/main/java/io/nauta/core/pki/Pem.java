package io.nauta.core.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text of certificates and keys, and the files that hold them. Private keys are written as
 * PKCS#8 ({@code PRIVATE KEY}), which Go (kubectl), Netty and Spring Boot all read, into files of
 * mode 600 that never exist with wider permissions, not even for a moment.
 */
public final class Pem {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An EC key as OpenSSL's traditional {@code EC PRIVATE KEY} (SEC 1, with its named curve), as k3s
   * and kubeadm write the keys in kubeconfigs: clients that guess the key type from the PEM header
   * (the fabric8 client takes an unlabelled {@code PRIVATE KEY} for RSA) read it as EC. Other keys
   * are written as {@link #privateKey}.
   */
  public static String kubeconfigKey(PrivateKey key) {
    if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
      return privateKey(key);
    }
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      var curve = info.getPrivateKeyAlgorithm().getParameters();
      // The JDK's encoding leaves the public point out; OpenSSL's form (and BouncyCastle's reader)
      // carries it: d·G on the key's named curve.
      byte[] point =
          org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(
                  org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(curve))
              .getG()
              .multiply(ec.getS())
              .normalize()
              .getEncoded(false);
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              ec.getParams().getOrder().bitLength(),
              ec.getS(),
              new org.bouncycastle.asn1.DERBitString(point),
              curve);
      return write(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String publicKey(PublicKey key) {
    return write(key);
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in {@code pem} (a bundle may hold several). */
  public static List<X509Certificate> parseCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid certificate: " + e.getMessage(), e);
    }
    return certificates;
  }

  public static X509Certificate parseCertificate(String pem) {
    List<X509Certificate> all = parseCertificates(pem);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no certificate in PEM text");
    }
    return all.get(0);
  }

  /** The private key in {@code pem}: PKCS#8, or the traditional RSA/EC forms. */
  public static PrivateKey parsePrivateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no private key in PEM text");
  }

  public static PublicKey parsePublicKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o instanceof SubjectPublicKeyInfo info) {
        return new JcaPEMKeyConverter().getPublicKey(info);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no public key in PEM text");
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file anyone may read (certificates, public keys). */
  public static void writePublic(Path file, String text) {
    writeAtomically(file, text, READABLE);
  }

  /** Writes a file only its owner may read or write (mode 600): private keys, kubeconfigs. */
  public static void writeSecret(Path file, String text) {
    writeAtomically(file, text, OWNER_ONLY);
  }

  // A reader (a component starting beside us) sees the old file or the new one, never half.
  private static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(mode));
      try {
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, mode);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
