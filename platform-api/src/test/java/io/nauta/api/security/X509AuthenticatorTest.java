package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.support.MovableClock;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client-certificate authenticator's memory of chains it verified. */
class X509AuthenticatorTest {

  @TempDir static Path dir;
  static List<X509Certificate> clientCa;
  static X509Certificate[] admin;
  static X509Certificate[] foreign;

  @BeforeAll
  static void pki() {
    ClusterPki pki =
        ClusterPki.ensure(
            dir.resolve("a"), new ClusterPki.Settings(null, List.of(), "node-1"), Instant.now());
    clientCa = Pem.parseCertificates(Pem.read(pki.clientCaCertificate()));
    admin = chain(pki.dir().resolve("admin-client.crt"));
    ClusterPki other =
        ClusterPki.ensure(
            dir.resolve("b"), new ClusterPki.Settings(null, List.of(), "node-1"), Instant.now());
    foreign = chain(other.dir().resolve("admin-client.crt"));
  }

  private static X509Certificate[] chain(Path file) {
    return Pem.parseCertificates(Pem.read(file)).toArray(X509Certificate[]::new);
  }

  @Test
  void aChainSentAgainIsNotValidatedAgainUntilItsCheckIsDue() {
    MovableClock clock = new MovableClock();
    X509Authenticator authenticator = new X509Authenticator(clientCa, clock);

    UserInfo first = authenticator.userOf(admin);
    UserInfo again = authenticator.userOf(admin.clone());

    assertThat(first.name()).isEqualTo(ClusterPki.ADMIN_USER);
    assertThat(again).isEqualTo(first);
    assertThat(authenticator.validations()).isEqualTo(1);

    clock.advance(X509Authenticator.VERIFIED_TTL);
    assertThat(authenticator.userOf(admin)).isEqualTo(first);
    assertThat(authenticator.validations()).isEqualTo(2);
  }

  @Test
  void aRememberedChainIsRefusedOnceItsCertificateExpired() {
    MovableClock clock = new MovableClock();
    X509Authenticator authenticator = new X509Authenticator(clientCa, clock);
    authenticator.userOf(admin);

    clock.now.set(admin[0].getNotAfter().toInstant().plusSeconds(1));

    assertThatThrownBy(() -> authenticator.userOf(admin)).isInstanceOf(UnauthorizedException.class);
    assertThat(authenticator.validations()).isEqualTo(2);
  }

  @Test
  void aRefusedChainIsCheckedEachTime() {
    X509Authenticator authenticator = new X509Authenticator(clientCa, new MovableClock());

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> authenticator.userOf(foreign))
          .isInstanceOf(UnauthorizedException.class);
    }
    assertThat(authenticator.validations()).isEqualTo(2);
  }
}
