package io.nauta.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestCsrs;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The certificate the signer makes of a request: its subject, key, usages and validity. */
class ClusterSignerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final CertificateAuthority CA =
      CertificateAuthority.create("test-ca", Duration.ofDays(3650), NOW);
  private static final ClusterSigner SIGNER =
      new ClusterSigner(CA.certificate(), CA.key(), Duration.ofDays(365));

  private static X509Certificate sign(TestCsrs csr, Integer seconds) {
    return SIGNER.sign(SigningRequests.parse(csr.request()), List.of("client auth"), seconds, NOW);
  }

  @Test
  void theCertificateCarriesTheRequestsSubjectAndKeyAndIsSignedByTheCa() throws Exception {
    TestCsrs alice = TestCsrs.of("alice", "developers");
    X509Certificate cert = sign(alice, null);

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=alice,O=developers");
    assertThat(cert.getPublicKey()).isEqualTo(alice.keys().getPublic());
    cert.verify(CA.certificate().getPublicKey());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void aServingCertificateCarriesTheNamesTheRequestAsksFor() throws Exception {
    TestCsrs node =
        TestCsrs.withSans(
            "system:node:n1", "system:nodes", List.of("n1", "n1.example"), List.of("10.0.0.1"));
    X509Certificate cert =
        SIGNER.sign(
            SigningRequests.parse(node.request()),
            List.of("digital signature", "server auth"),
            null,
            NOW);

    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "n1"), List.of(2, "n1.example"), List.of(7, "10.0.0.1"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getKeyUsage()[0]).as("digital signature").isTrue();
  }

  @Test
  void theValidityIsWhatWasAskedWithinTenMinutesAndTheConfiguredDuration() {
    TestCsrs csr = TestCsrs.of("alice");
    assertThat(sign(csr, 3600).getNotAfter().toInstant()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(sign(csr, null).getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    assertThat(sign(csr, 10 * 365 * 86400).getNotAfter().toInstant())
        .isEqualTo(NOW.plus(Duration.ofDays(365)));
    assertThat(sign(csr, 60).getNotAfter().toInstant()).isEqualTo(NOW.plusSeconds(600));
    assertThat(sign(csr, 3600).getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(300));
  }
}
