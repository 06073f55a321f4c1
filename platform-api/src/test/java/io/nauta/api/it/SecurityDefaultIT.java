package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import org.junit.jupiter.api.Test;

/**
 * Security is the API server's default (HTTPS, authentication, authorization: nothing to
 * configure), and turning it off is a deliberate, explicit choice.
 */
class SecurityDefaultIT {

  @Test
  void aServerStartedWithoutSecuritySettingsIsSecure() {
    try (TestApiServer server = TestApiServer.startOnEmptyRedis()) {
      assertThat(server.url()).startsWith("https://");
      server.anonymousClient().get().uri("/readyz").exchange().expectStatus().isOk();
      server
          .anonymousClient()
          .get()
          .uri("/api/v1/namespaces")
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectBody()
          .jsonPath("$.reason")
          .isEqualTo("Unauthorized");
      server.client().get().uri("/api/v1/namespaces").exchange().expectStatus().isOk();
    }
  }

  @Test
  void optingOutServesPlainHttpToAnyone() {
    try (TestApiServer server = TestApiServer.startOnEmptyRedis(TestApiServer.PLAIN_HTTP)) {
      assertThat(server.url()).startsWith("http://");
      server.anonymousClient().get().uri("/api/v1/namespaces").exchange().expectStatus().isOk();
    }
  }
}
