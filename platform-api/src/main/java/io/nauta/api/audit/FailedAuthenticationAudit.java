package io.nauta.api.audit;

import io.nauta.api.security.AuthenticationFilter;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.UnauthorizedException;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Audits requests that authentication refuses (401), which never reach the {@link AuditFilter} (it
 * runs after authentication, to know the user): a refused credential is worth a line in the audit
 * log, as kube-apiserver writes one. The 401 itself goes on unchanged.
 */
public class FailedAuthenticationAudit implements WebFilter, Ordered {

  private final AuditFilter audit;

  public FailedAuthenticationAudit(AuditFilter audit) {
    this.audit = audit;
  }

  /** Just before authentication. */
  @Override
  public int getOrder() {
    return AuthenticationFilter.ORDER - 1;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return chain
        .filter(exchange)
        .onErrorResume(
            UnauthorizedException.class,
            e -> {
              if (UserInfo.of(exchange) == null) {
                audit.authenticationFailed(exchange, e);
              }
              return Mono.error(e);
            });
  }
}
