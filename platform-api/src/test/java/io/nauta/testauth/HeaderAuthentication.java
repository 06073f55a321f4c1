package io.nauta.testauth;

import io.nauta.api.security.Authenticator;
import io.nauta.api.security.AuthorizationFilter;
import io.nauta.api.security.UserInfo;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * TEST ONLY: stands in for the real authentication (certificates, tokens) until it is merged. The
 * user and groups are read outright from the {@code Impersonate-User} and {@code Impersonate-Group}
 * headers, because those are the headers real kubectl can send ({@code --as}, {@code --as-group})
 * over the plain HTTP these tests use (kubectl never sends a bearer token without TLS). This is not
 * impersonation: there is no authenticated caller behind it. Requests without the header are
 * anonymous, so public endpoints are reached through the bootstrap policy as in Kubernetes.
 *
 * <p>Kept outside {@code io.nauta.api} so the API server's component scan never picks it up; a test
 * adds it with {@code spring.main.sources}.
 */
@Configuration(proxyBeanMethods = false)
public class HeaderAuthentication {

  public static final String SOURCE = "spring.main.sources=" + HeaderAuthentication.class.getName();
  public static final String USER_HEADER = "Impersonate-User";
  public static final String GROUP_HEADER = "Impersonate-Group";

  @Bean
  Authenticator testHeaderAuthenticator() {
    return request -> {
      String user = request.getHeaders().getFirst(USER_HEADER);
      if (user == null || user.isEmpty()) {
        return Mono.empty();
      }
      List<String> groups = new ArrayList<>();
      List<String> given = request.getHeaders().get(GROUP_HEADER);
      if (given != null) {
        groups.addAll(given);
      }
      if (user.startsWith("system:serviceaccount:")) {
        // What the service-account authenticator adds.
        groups.add("system:serviceaccounts");
        groups.add("system:serviceaccounts:" + user.split(":")[2]);
      }
      groups.add(UserInfo.AUTHENTICATED);
      return Mono.just(new UserInfo(user, groups));
    };
  }

  @Bean
  WebFilter testAuthenticationFilter(List<Authenticator> authenticators) {
    return new AuthenticationFilter(authenticators);
  }

  private record AuthenticationFilter(List<Authenticator> authenticators)
      implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
      return Flux.fromIterable(authenticators)
          .concatMap(a -> a.authenticate(exchange.getRequest()))
          .next()
          .defaultIfEmpty(new UserInfo(UserInfo.ANONYMOUS, List.of(UserInfo.UNAUTHENTICATED)))
          .flatMap(
              user -> {
                exchange.getAttributes().put(UserInfo.ATTRIBUTE, user);
                return chain.filter(exchange);
              });
    }

    @Override
    public int getOrder() {
      return AuthorizationFilter.ORDER - 10;
    }
  }
}
