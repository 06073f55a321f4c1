package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.UnauthorizedException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class AuthenticationFilterTest {

  private static final WebFilterChain PASS = exchange -> Mono.empty();
  private static final Authenticator ALICE =
      request ->
          "Bearer good".equals(request.getHeaders().getFirst("Authorization"))
              ? Mono.just(new UserInfo("alice", List.of("dev")))
              : Mono.empty();
  private static final Authenticator REFUSES_EVERY_TOKEN =
      request ->
          request.getHeaders().containsHeader("Authorization")
              ? Mono.error(new UnauthorizedException("Unauthorized"))
              : Mono.empty();

  @Test
  void anAcceptedUserAlsoGetsSystemAuthenticated() {
    MockServerWebExchange exchange = exchange("/api/v1/pods", "good");

    StepVerifier.create(filter(ALICE).filter(exchange, PASS)).verifyComplete();

    assertThat(UserInfo.of(exchange).name()).isEqualTo("alice");
    assertThat(UserInfo.of(exchange).groups()).containsExactly("dev", "system:authenticated");
  }

  @Test
  void aRefusalByOneAuthenticatorDoesNotStopALaterOne() {
    MockServerWebExchange exchange = exchange("/api/v1/pods", "good");

    StepVerifier.create(filter(REFUSES_EVERY_TOKEN, ALICE).filter(exchange, PASS)).verifyComplete();

    assertThat(UserInfo.of(exchange).name()).isEqualTo("alice");
  }

  @Test
  void withoutCredentialsOnlyPublicPathsPassAsAnonymous() {
    MockServerWebExchange readyz = exchange("/readyz/ping", null);
    StepVerifier.create(filter(ALICE).filter(readyz, PASS)).verifyComplete();
    assertThat(UserInfo.of(readyz).name()).isEqualTo("system:anonymous");
    assertThat(UserInfo.of(readyz).groups()).containsExactly("system:unauthenticated");

    StepVerifier.create(filter(ALICE).filter(exchange("/api/v1/pods", null), PASS))
        .verifyError(UnauthorizedException.class);
    StepVerifier.create(filter(ALICE).filter(exchange("/readyzz", null), PASS))
        .verifyError(UnauthorizedException.class);
  }

  @Test
  void swaggerUiAndTheDocumentItRendersPassAsAnonymousButKubectlsDocumentsDoNot() {
    for (String path :
        new String[] {
          "/swagger-ui.html",
          "/swagger-ui/index.html",
          "/v3/api-docs",
          "/v3/api-docs/swagger-config"
        }) {
      MockServerWebExchange page = exchange(path, null);
      StepVerifier.create(filter(ALICE).filter(page, PASS)).verifyComplete();
      assertThat(UserInfo.of(page).name()).as(path).isEqualTo("system:anonymous");
    }
    StepVerifier.create(filter(ALICE).filter(exchange("/openapi/v3/api/v1", null), PASS))
        .verifyError(UnauthorizedException.class);
    StepVerifier.create(filter(ALICE).filter(exchange("/swagger-uix", null), PASS))
        .verifyError(UnauthorizedException.class);
  }

  @Test
  void refusedCredentialsAre401EvenOnPublicPaths() {
    StepVerifier.create(filter(REFUSES_EVERY_TOKEN).filter(exchange("/readyz", "bad"), PASS))
        .verifyError(UnauthorizedException.class);
    StepVerifier.create(filter(ALICE).filter(exchange("/healthz", "unknown"), PASS))
        .verifyError(UnauthorizedException.class);
  }

  @Test
  void anAcceptedTokenIsRememberedForTheCacheTtl() {
    AtomicInteger calls = new AtomicInteger();
    Authenticator counting =
        request -> {
          calls.incrementAndGet();
          return ALICE.authenticate(request);
        };
    AuthenticationFilter filter =
        new AuthenticationFilter(
            List.of(counting), new TokenCache(Duration.ofMinutes(1), Clock.systemUTC()));

    for (int i = 0; i < 3; i++) {
      MockServerWebExchange exchange = exchange("/api/v1/pods", "good");
      StepVerifier.create(filter.filter(exchange, PASS)).verifyComplete();
      assertThat(UserInfo.of(exchange).name()).isEqualTo("alice");
    }
    assertThat(calls).hasValue(1);
  }

  private static AuthenticationFilter filter(Authenticator... authenticators) {
    return new AuthenticationFilter(
        List.of(authenticators), new TokenCache(Duration.ZERO, Clock.systemUTC()));
  }

  private static MockServerWebExchange exchange(String path, String token) {
    MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return MockServerWebExchange.from(request);
  }
}
