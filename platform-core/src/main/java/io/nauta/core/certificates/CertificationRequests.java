package io.nauta.core.certificates;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * PKCS#10 certificate requests as the requesting side makes them (a kubelet asking for its client
 * certificate, {@code openssl req}): a P-256 key, the subject, the request signed with that key.
 */
public final class CertificationRequests {

  private CertificationRequests() {}

  /** A new ECDSA P-256 key pair, the kind the kubelet makes for its client certificate. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator in this JVM", e);
    }
  }

  /**
   * The PEM text of a request for {@code CN=commonName} with one {@code O=} per organization,
   * signed with {@code keys}' private key.
   */
  public static String pem(KeyPair keys, String commonName, List<String> organizations) {
    return pem(keys, commonName, organizations, List.of(), List.of());
  }

  /**
   * The PEM text of a request for {@code CN=commonName} with one {@code O=} per organization and,
   * when any are given, the subject alternative names {@code dnsNames} and {@code ipAddresses}
   * (literal IPv4 or IPv6 addresses), as a kubelet asks for its serving certificate; signed with
   * {@code keys}' private key.
   *
   * @throws IllegalArgumentException when an entry of {@code ipAddresses} is no IP address
   */
  public static String pem(
      KeyPair keys,
      String commonName,
      List<String> organizations,
      List<String> dnsNames,
      List<String> ipAddresses) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) {
      name.addRDN(BCStyle.O, o);
    }
    name.addRDN(BCStyle.CN, commonName);
    try {
      PKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(name.build(), keys.getPublic());
      if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
            new Extensions(
                new Extension(
                    Extension.subjectAlternativeName,
                    false,
                    new DEROctetString(subjectAltNames(dnsNames, ipAddresses)))));
      }
      PKCS10CertificationRequest csr =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        w.writeObject(csr);
      }
      return out.toString();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GeneralNames subjectAltNames(List<String> dnsNames, List<String> ipAddresses) {
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (String ip : ipAddresses) {
      if (!IPAddress.isValid(ip)) {
        throw new IllegalArgumentException("not an IP address: " + ip);
      }
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** {@code spec.request} of a CertificateSigningRequest: the PEM text in base64. */
  public static String specRequest(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
