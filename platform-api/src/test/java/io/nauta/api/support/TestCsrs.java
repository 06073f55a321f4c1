package io.nauta.api.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A key and a PKCS#10 certificate signing request for it, made as {@code openssl req} or a kubelet
 * makes them, and the CertificateSigningRequest object that carries it.
 */
public record TestCsrs(KeyPair keys, String csrPem) {

  /** A new P-256 key and a CSR for {@code CN=commonName}, {@code O=} each organization. */
  public static TestCsrs of(String commonName, String... organizations) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = g.generateKeyPair();
      X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
      for (String o : organizations) {
        name.addRDN(BCStyle.O, o);
      }
      name.addRDN(BCStyle.CN, commonName);
      PKCS10CertificationRequest csr =
          new JcaPKCS10CertificationRequestBuilder(name.build(), keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return new TestCsrs(keys, pem(csr));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code spec.request}: the PEM text in base64, as JSON carries bytes. */
  public String request() {
    return Base64.getEncoder().encodeToString(csrPem.getBytes(StandardCharsets.UTF_8));
  }

  /** The private key as PKCS#8 PEM. */
  public String keyPem() {
    return io.nauta.core.pki.Pem.privateKey(keys.getPrivate());
  }

  /** A CertificateSigningRequest manifest (JSON, which kubectl also reads) for this request. */
  public String manifest(String name, String signerName, List<String> usages) {
    StringBuilder u = new StringBuilder();
    for (String usage : usages) {
      u.append(u.length() == 0 ? "" : ",").append('"').append(usage).append('"');
    }
    return """
        {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest",
         "metadata":{"name":"%s"},
         "spec":{"request":"%s","signerName":"%s","usages":[%s]}}
        """
        .formatted(name, request(), signerName, u);
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
