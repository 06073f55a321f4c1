package io.nauta.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTlsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final CertificateAuthority CA =
      CertificateAuthority.create("test-ca", Duration.ofDays(10), NOW);

  private static X509Certificate serving(String... sans) {
    return CA.issue(CertificateRequest.server("agent", List.of(sans), Duration.ofDays(1)), NOW)
        .certificate();
  }

  @Test
  void everyLoopbackAddressIsServedByACertificateNaming127001() {
    X509Certificate cert = serving("127.0.0.1", "localhost");
    assertThat(AgentTls.serves(cert, "127.0.0.1")).isTrue();
    // Simulated nodes of one agent process: 127.1.x.y.
    assertThat(AgentTls.serves(cert, "127.1.0.7")).isTrue();
    assertThat(AgentTls.serves(cert, "localhost")).isTrue();
  }

  @Test
  void anAddressOrNameNotAmongTheSansIsRefused() {
    X509Certificate cert = serving("127.0.0.1", "localhost");
    assertThat(AgentTls.serves(cert, "10.0.0.5")).isFalse();
    assertThat(AgentTls.serves(cert, "node-a.example")).isFalse();
    assertThat(AgentTls.serves(cert, "")).isFalse();
    assertThat(AgentTls.serves(cert, null)).isFalse();
  }

  @Test
  void aLoopbackAddressNeedsTheCertificateToNameOne() {
    X509Certificate cert = serving("10.0.0.5", "node-a.example");
    assertThat(AgentTls.serves(cert, "10.0.0.5")).isTrue();
    assertThat(AgentTls.serves(cert, "NODE-A.example")).isTrue();
    assertThat(AgentTls.serves(cert, "127.0.0.1")).isFalse();
    assertThat(AgentTls.serves(cert, "127.1.0.7")).isFalse();
  }
}
