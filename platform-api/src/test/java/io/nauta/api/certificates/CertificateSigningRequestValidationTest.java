package io.nauta.api.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.nauta.api.support.TestCsrs;
import io.nauta.core.errors.FieldError;
import io.nauta.core.validation.CertificateSigningRequestValidation;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Table of CSR validation cases, each with the message Kubernetes gives. */
class CertificateSigningRequestValidationTest {

  private static final CertificateSigningRequestValidation V =
      new CertificateSigningRequestValidation();
  private static final TestCsrs ALICE = TestCsrs.of("alice");

  private static CertificateSigningRequest csr(
      UnaryOperator<CertificateSigningRequestBuilder> change) {
    return change
        .apply(
            new CertificateSigningRequestBuilder()
                .withNewMetadata()
                .withName("alice")
                .endMetadata()
                .withNewSpec()
                .withRequest(ALICE.request())
                .withSignerName("kubernetes.io/kube-apiserver-client")
                .withUsages("client auth")
                .endSpec())
        .build();
  }

  private static List<String> errors(CertificateSigningRequest csr) {
    return V.validate(csr).stream().map(FieldError::message).toList();
  }

  @Test
  void aWellFormedRequestIsValid() {
    assertThat(errors(csr(b -> b))).isEmpty();
  }

  @Test
  void badRequestsAreReportedField() {
    record Case(
        String name, UnaryOperator<CertificateSigningRequestBuilder> change, String error) {}
    List<Case> cases =
        List.of(
            new Case(
                "not a PEM CSR",
                b -> b.editSpec().withRequest("aGVsbG8=").endSpec(),
                "spec.request: Invalid value: \"aGVsbG8=\": PEM block type must be CERTIFICATE"
                    + " REQUEST"),
            new Case(
                "no signer",
                b -> b.editSpec().withSignerName(null).endSpec(),
                "spec.signerName: Required value"),
            new Case(
                "signer without path",
                b -> b.editSpec().withSignerName("example.com").endSpec(),
                "spec.signerName: Invalid value: \"example.com\": must be a fully qualified domain"
                    + " and path of the form 'example.com/signer-name'"),
            new Case(
                "signer domain without dot",
                b -> b.editSpec().withSignerName("example/signer").endSpec(),
                "spec.signerName: Invalid value: \"example\": should be a domain with at least two"
                    + " segments separated by dots"),
            new Case(
                "no usages",
                b -> b.editSpec().withUsages(List.of()).endSpec(),
                "spec.usages: Required value"),
            new Case(
                "duplicate usage",
                b -> b.editSpec().withUsages("client auth", "client auth").endSpec(),
                "spec.usages[1]: Duplicate value: \"client auth\""),
            new Case(
                "too short",
                b -> b.editSpec().withExpirationSeconds(599).endSpec(),
                "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than"
                    + " 600 seconds (10 minutes)"),
            new Case(
                "approved and denied",
                b ->
                    b.withNewStatus()
                        .addNewCondition()
                        .withType("Approved")
                        .withStatus("True")
                        .endCondition()
                        .addNewCondition()
                        .withType("Denied")
                        .withStatus("True")
                        .endCondition()
                        .endStatus(),
                "status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied"
                    + " conditions are mutually exclusive"),
            new Case(
                "approved false",
                b ->
                    b.withNewStatus()
                        .addNewCondition()
                        .withType("Approved")
                        .withStatus("False")
                        .endCondition()
                        .endStatus(),
                "status.conditions[0].status: Unsupported value: \"False\": supported values:"
                    + " \"True\""));
    for (Case c : cases) {
      assertThat(errors(csr(c.change()))).as(c.name()).contains(c.error());
    }
  }

  @Test
  void aRequestSignedByAnotherKeyIsRefused() {
    TestCsrs other = TestCsrs.of("alice");
    String mixed =
        java.util.Base64.getEncoder().encodeToString(swapKey(ALICE.csrPem(), other).getBytes());
    assertThat(errors(csr(b -> b.editSpec().withRequest(mixed).endSpec())))
        .anyMatch(e -> e.startsWith("spec.request: Invalid value"));
  }

  @Test
  void theStatusSubresourceMayNotAddNorRemoveApproval() {
    CertificateSigningRequest old = csr(b -> b);
    CertificateSigningRequest approved =
        csr(
            b ->
                b.withNewStatus()
                    .addNewCondition()
                    .withType("Approved")
                    .withStatus("True")
                    .endCondition()
                    .endStatus());
    assertThat(V.validateUpdate(approved, old).stream().map(FieldError::message))
        .contains(
            "status.conditions: Forbidden: updates may not add a condition of type \"Approved\"");
    assertThat(V.validateApprovalUpdate(approved, old)).isEmpty();
    assertThat(V.validateUpdate(old, approved).stream().map(FieldError::message))
        .contains(
            "status.conditions: Forbidden: updates may not remove a condition of type"
                + " \"Approved\"");
  }

  // A CSR whose signature is another key's: the request of one with the signature of another.
  private static String swapKey(String pem, TestCsrs other) {
    try {
      var a = new org.bouncycastle.pkcs.PKCS10CertificationRequest(der(pem));
      var b = new org.bouncycastle.pkcs.PKCS10CertificationRequest(der(other.csrPem()));
      var forged =
          new org.bouncycastle.asn1.pkcs.CertificationRequest(
              a.toASN1Structure().getCertificationRequestInfo(),
              b.getSignatureAlgorithm(),
              new org.bouncycastle.asn1.DERBitString(b.getSignature()));
      return "-----BEGIN CERTIFICATE REQUEST-----\n"
          + java.util.Base64.getMimeEncoder().encodeToString(forged.getEncoded())
          + "\n-----END CERTIFICATE REQUEST-----\n";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] der(String pem) {
    String body =
        pem.replace("-----BEGIN CERTIFICATE REQUEST-----", "")
            .replace("-----END CERTIFICATE REQUEST-----", "")
            .replaceAll("\\s", "");
    return java.util.Base64.getDecoder().decode(body);
  }
}
