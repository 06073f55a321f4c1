package io.nauta.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjectionBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The kubelet's token manager: bound tokens requested once, refreshed at 80% of their life. */
class ServiceAccountTokensTest {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static final Pod POD =
      new PodBuilder()
          .withNewMetadata()
          .withName("web")
          .withNamespace("team")
          .withUid("u-1")
          .endMetadata()
          .withNewSpec()
          .withServiceAccountName("bot")
          .endSpec()
          .build();

  static final ServiceAccountTokenProjection TOKEN =
      new ServiceAccountTokenProjectionBuilder()
          .withExpirationSeconds(3600L)
          .withPath("token")
          .build();

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = START;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** An API server that answers every TokenRequest with a numbered token, or fails when told. */
  static final class TokenServer implements PodInputs {
    final List<TokenRequest> requests = new ArrayList<>();
    final List<String> accounts = new ArrayList<>();
    final MovingClock clock;
    final AtomicBoolean down = new AtomicBoolean();

    TokenServer(MovingClock clock) {
      this.clock = clock;
    }

    @Override
    public Mono<ConfigMap> configMap(String namespace, String name) {
      return Mono.empty();
    }

    @Override
    public Mono<Secret> secret(String namespace, String name) {
      return Mono.empty();
    }

    @Override
    public Mono<List<Service>> services(String namespace) {
      return Mono.just(List.of());
    }

    @Override
    public Mono<TokenRequest> serviceAccountToken(
        String namespace, String serviceAccount, TokenRequest request) {
      if (down.get()) {
        return Mono.error(new IllegalStateException("connection refused"));
      }
      requests.add(request);
      accounts.add(namespace + "/" + serviceAccount);
      long seconds = request.getSpec().getExpirationSeconds();
      return Mono.just(
          new TokenRequestBuilder(request)
              .withNewStatus()
              .withToken("token-" + requests.size())
              .withExpirationTimestamp(clock.now.plusSeconds(seconds).toString())
              .endStatus()
              .build());
    }
  }

  final MovingClock clock = new MovingClock();
  final TokenServer server = new TokenServer(clock);
  final ServiceAccountTokens tokens = new ServiceAccountTokens(server, clock);

  String token() {
    return tokens.token(POD, TOKEN).block(Duration.ofSeconds(5));
  }

  @Test
  void requestsATokenBoundToThePodForTheApiServersAudience() {
    assertThat(token()).isEqualTo("token-1");

    assertThat(server.accounts).containsExactly("team/bot");
    TokenRequest sent = server.requests.get(0);
    assertThat(sent.getSpec().getAudiences()).isEmpty();
    assertThat(sent.getSpec().getExpirationSeconds()).isEqualTo(3600L);
    assertThat(sent.getSpec().getBoundObjectRef().getKind()).isEqualTo("Pod");
    assertThat(sent.getSpec().getBoundObjectRef().getApiVersion()).isEqualTo("v1");
    assertThat(sent.getSpec().getBoundObjectRef().getName()).isEqualTo("web");
    assertThat(sent.getSpec().getBoundObjectRef().getUid()).isEqualTo("u-1");
  }

  @Test
  void keepsTheTokenUntilEightyPercentOfItsLifeThenRequestsANewOne() {
    assertThat(token()).isEqualTo("token-1");
    // 80% of an hour is 48 minutes; the jitter brings a refresh up to 10 s earlier.
    clock.now = START.plus(Duration.ofMinutes(47).plusSeconds(49));
    assertThat(token()).isEqualTo("token-1");
    assertThat(server.requests).hasSize(1);

    clock.now = START.plus(Duration.ofMinutes(48).plusSeconds(1));
    assertThat(token()).isEqualTo("token-2");
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void aFailedRefreshKeepsTheTokenWhileItIsValidAndFailsOnceItExpired() {
    assertThat(token()).isEqualTo("token-1");
    server.down.set(true);
    clock.now = START.plus(Duration.ofMinutes(50));
    assertThat(token()).isEqualTo("token-1");

    clock.now = START.plus(Duration.ofMinutes(61));
    assertThat(
            tokens
                .token(POD, TOKEN)
                .map(t -> "got " + t)
                .onErrorResume(e -> Mono.just(e.getMessage()))
                .block())
        .isEqualTo("connection refused");
  }

  @Test
  void aPodThatIsGoneLosesItsTokens() {
    assertThat(token()).isEqualTo("token-1");
    tokens.forget("u-1");
    assertThat(token()).isEqualTo("token-2");
  }
}
