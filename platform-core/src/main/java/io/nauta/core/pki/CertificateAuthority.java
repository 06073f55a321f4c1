package io.nauta.core.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: its certificate and private key, and the certificates it signs. Keys are
 * ECDSA P-256, as k3s makes them: small, quick to generate on a busy machine, and read by every TLS
 * stack Nauta meets (Go's, Netty's, the JDK's).
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

  private static final SecureRandom RANDOM = new SecureRandom();
  // Certificates start a little in the past, so a peer whose clock runs slightly behind accepts
  // them at once (kubeadm and k3s do the same).
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  /** A new self-signed CA named {@code commonName}, valid for {@code validity} from {@code now}. */
  public static CertificateAuthority create(String commonName, Duration validity, Instant now) {
    KeyPair keys = newKeyPair();
    X500Name name = name(commonName, List.of());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot create CA " + commonName, e);
    }
  }

  /** A new key pair and a certificate for it signed by this CA. */
  public IssuedCertificate issue(CertificateRequest request, Instant now) {
    KeyPair keys = newKeyPair();
    return new IssuedCertificate(sign(request, keys.getPublic(), now), keys.getPrivate());
  }

  /** A certificate for {@code publicKey} (e.g. from a CSR) signed by this CA. */
  public X509Certificate sign(CertificateRequest request, PublicKey publicKey, Instant now) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      Instant notAfter = now.plus(request.validity());
      // Never outlive the CA: a chain whose leaf outlasts its issuer fails verification anyway.
      Instant caEnd = certificate.getNotAfter().toInstant();
      if (notAfter.isAfter(caEnd)) {
        notAfter = caEnd;
      }
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (request.serverAuth()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (request.clientAuth()) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  name(request.commonName(), request.organizations()),
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate));
      List<GeneralName> names = new ArrayList<>();
      request.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
      request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return sign(builder, key);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue " + request.commonName(), e);
    }
  }

  /** Whether {@code cert} carries this CA's signature (a CA made anew signs differently). */
  public boolean signed(X509Certificate cert) {
    try {
      cert.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      String algorithm = "EC".equals(signer.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  /** Whether {@code text} is an IP address literal (not a name to resolve). */
  static boolean isIpAddress(String text) {
    if (!text.matches("[0-9.]+") && !text.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(text);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
