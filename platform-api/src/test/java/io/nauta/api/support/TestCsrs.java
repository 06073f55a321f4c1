package io.nauta.api.support;

import io.nauta.core.certificates.CertificationRequests;
import java.security.KeyPair;
import java.util.List;

/**
 * A key and a PKCS#10 certificate signing request for it, made as {@code openssl req} or a kubelet
 * makes them, and the CertificateSigningRequest object that carries it.
 */
public record TestCsrs(KeyPair keys, String csrPem) {

  /** A new P-256 key and a CSR for {@code CN=commonName}, {@code O=} each organization. */
  public static TestCsrs of(String commonName, String... organizations) {
    KeyPair keys = CertificationRequests.newKeyPair();
    return new TestCsrs(keys, CertificationRequests.pem(keys, commonName, List.of(organizations)));
  }

  /**
   * A new P-256 key and a CSR for {@code CN=commonName}, {@code O=organization}, with the subject
   * alternative names {@code dnsNames} and {@code ipAddresses}, as a kubelet asks for its serving
   * certificate.
   */
  public static TestCsrs withSans(
      String commonName, String organization, List<String> dnsNames, List<String> ipAddresses) {
    KeyPair keys = CertificationRequests.newKeyPair();
    return new TestCsrs(
        keys,
        CertificationRequests.pem(keys, commonName, List.of(organization), dnsNames, ipAddresses));
  }

  /** {@code spec.request}: the PEM text in base64, as JSON carries bytes. */
  public String request() {
    return CertificationRequests.specRequest(csrPem);
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
}
