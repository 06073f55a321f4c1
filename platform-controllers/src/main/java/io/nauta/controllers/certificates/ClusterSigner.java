package io.nauta.controllers.certificates;

import io.nauta.core.pki.Pem;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
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
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The cluster signing CA of the controller manager (kube-controller-manager's {@code
 * --cluster-signing-cert-file}/{@code -key-file}): issues the certificate a CSR asks for, with the
 * request's subject, key and subject alternative names, the key usages its {@code usages} name, and
 * a validity of {@code expirationSeconds} capped at the configured duration (never under 10
 * minutes, never past the CA), backdated 5 minutes for peers whose clocks run behind, as
 * Kubernetes' signer does.
 */
public final class ClusterSigner {

  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final Duration MIN = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Map<String, Integer> KEY_USAGES =
      Map.of(
          "signing", KeyUsage.digitalSignature,
          "digital signature", KeyUsage.digitalSignature,
          "content commitment", KeyUsage.nonRepudiation,
          "key encipherment", KeyUsage.keyEncipherment,
          "key agreement", KeyUsage.keyAgreement,
          "data encipherment", KeyUsage.dataEncipherment,
          "cert sign", KeyUsage.keyCertSign,
          "crl sign", KeyUsage.cRLSign,
          "encipher only", KeyUsage.encipherOnly,
          "decipher only", KeyUsage.decipherOnly);

  private static final Map<String, KeyPurposeId> EXTENDED_USAGES =
      Map.of(
          "any", KeyPurposeId.anyExtendedKeyUsage,
          "server auth", KeyPurposeId.id_kp_serverAuth,
          "client auth", KeyPurposeId.id_kp_clientAuth,
          "code signing", KeyPurposeId.id_kp_codeSigning,
          "email protection", KeyPurposeId.id_kp_emailProtection,
          "s/mime", KeyPurposeId.id_kp_emailProtection,
          "ipsec end system", KeyPurposeId.id_kp_ipsecEndSystem,
          "ipsec tunnel", KeyPurposeId.id_kp_ipsecTunnel,
          "ipsec user", KeyPurposeId.id_kp_ipsecUser,
          "timestamping", KeyPurposeId.id_kp_timeStamping);

  private final X509Certificate ca;
  private final PrivateKey key;
  private final Duration maxDuration;

  public ClusterSigner(X509Certificate ca, PrivateKey key, Duration maxDuration) {
    this.ca = ca;
    this.key = key;
    this.maxDuration = maxDuration;
  }

  public static ClusterSigner fromFiles(Path cert, Path key, Duration maxDuration) {
    return new ClusterSigner(
        Pem.parseCertificate(Pem.read(cert)), Pem.parsePrivateKey(Pem.read(key)), maxDuration);
  }

  /** The validity a CSR gets: what it asks for within [10 minutes, the configured duration]. */
  Duration duration(Integer expirationSeconds) {
    if (expirationSeconds == null) {
      return maxDuration;
    }
    Duration asked = Duration.ofSeconds(expirationSeconds);
    if (asked.compareTo(maxDuration) > 0) {
      return maxDuration;
    }
    return asked.compareTo(MIN) < 0 ? MIN : asked;
  }

  /** A certificate for {@code request}, signed by the cluster signing CA. */
  public X509Certificate sign(
      JcaPKCS10CertificationRequest request,
      List<String> usages,
      Integer expirationSeconds,
      Instant now) {
    try {
      Instant notAfter = now.plus(duration(expirationSeconds));
      Instant caEnd = ca.getNotAfter().toInstant();
      if (notAfter.isAfter(caEnd)) {
        notAfter = caEnd;
      }
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  ca,
                  new BigInteger(127, RANDOM).add(BigInteger.ONE),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  request.getSubject(),
                  request.getPublicKey())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
      // The names the request asks for, as upstream's signer copies DNS, IP, email and URI SANs
      // (a serving certificate is verified against the address it is reached at).
      List<GeneralName> sans = SignerPolicies.subjectAltNames(request);
      if (!sans.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      int keyUsage = 0;
      List<KeyPurposeId> purposes = new ArrayList<>();
      for (String u : usages) {
        if (KEY_USAGES.containsKey(u)) {
          keyUsage |= KEY_USAGES.get(u);
        } else if (EXTENDED_USAGES.containsKey(u)) {
          purposes.add(EXTENDED_USAGES.get(u));
        }
      }
      if (keyUsage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!purposes.isEmpty()) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      }
      String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot sign the request: " + e.getMessage(), e);
    }
  }
}
