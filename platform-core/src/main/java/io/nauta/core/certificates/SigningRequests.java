package io.nauta.core.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * What every party of {@code certificates.k8s.io/v1} CertificateSigningRequests shares (the API
 * server's validation, the signer, the approver): the well-known signer names and condition types,
 * and the PKCS#10 request a CSR carries, parsed and checked with BouncyCastle.
 */
public final class SigningRequests {

  /** Client certificates the API server accepts as user credentials. */
  public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";

  /** Node agents' client certificates: {@code system:node:<name>} in {@code system:nodes}. */
  public static final String KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";

  /**
   * Node agents' serving certificates (Kubernetes' {@code serverTLSBootstrap}), signed with the
   * server CA the API server trusts when it dials an agent.
   */
  public static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";

  public static final String APPROVED = "Approved";
  public static final String DENIED = "Denied";
  public static final String FAILED = "Failed";

  private static final String PEM_TYPE = "CERTIFICATE REQUEST";

  private SigningRequests() {}

  /**
   * The PKCS#10 request in {@code spec.request} (base64 of PEM text, as JSON carries bytes), as
   * Kubernetes' {@code ParseCSR}: the first PEM block must be a {@code CERTIFICATE REQUEST}.
   *
   * @throws IllegalArgumentException with Kubernetes' message when it is not one
   */
  public static JcaPKCS10CertificationRequest parse(String base64Request) {
    byte[] pem;
    try {
      pem = Base64.getDecoder().decode(base64Request == null ? "" : base64Request.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("illegal base64 data: " + e.getMessage(), e);
    }
    PemObject block;
    try (PemReader reader =
        new PemReader(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
      block = reader.readPemObject();
    } catch (IOException e) {
      block = null;
    }
    if (block == null || !PEM_TYPE.equals(block.getType())) {
      throw new IllegalArgumentException("PEM block type must be " + PEM_TYPE);
    }
    try {
      return new JcaPKCS10CertificationRequest(block.getContent());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("asn1: structure error: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the request's self-signature: whoever posts it holds the private key.
   *
   * @throws IllegalArgumentException when the signature does not verify
   */
  public static void checkSignature(JcaPKCS10CertificationRequest request) {
    try {
      boolean valid =
          request.isSignatureValid(
              new JcaContentVerifierProviderBuilder().build(request.getPublicKey()));
      if (!valid) {
        throw new IllegalArgumentException("x509: signature verification failure");
      }
    } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("x509: cannot verify signature: " + e.getMessage(), e);
    }
  }

  /** Whether {@code csr} carries a condition of {@code type} (Approved, Denied, Failed). */
  public static boolean hasCondition(CertificateSigningRequest csr, String type) {
    return conditions(csr).stream().anyMatch(c -> type.equals(c.getType()));
  }

  /** Approved and neither Denied nor Failed: what a signer acts on. */
  public static boolean approved(CertificateSigningRequest csr) {
    return hasCondition(csr, APPROVED) && !hasCondition(csr, DENIED) && !hasCondition(csr, FAILED);
  }

  public static List<CertificateSigningRequestCondition> conditions(CertificateSigningRequest csr) {
    return csr.getStatus() == null || csr.getStatus().getConditions() == null
        ? List.of()
        : csr.getStatus().getConditions();
  }
}
