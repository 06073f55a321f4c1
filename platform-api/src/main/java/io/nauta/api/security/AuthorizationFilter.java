package io.nauta.api.security;

import io.nauta.api.security.Authorizer.Decision;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authorization of every request, after authentication put its {@link UserInfo} on the exchange:
 * the request's attributes go through the {@link AuthorizerChain}; anything but ALLOW is a 403
 * {@code Status} with Kubernetes' message. Health and version endpoints pass because the bootstrap
 * policy grants them ({@code system:public-info-viewer}), not by an exception here.
 *
 * <p>Without a user on the exchange (security off) the filter does nothing. The user also goes into
 * the Reactor context under {@link UserInfo#ATTRIBUTE}, for checks made deeper in the write path
 * (RBAC escalation) that have no exchange.
 */
@Component
@Order(AuthorizationFilter.ORDER)
public class AuthorizationFilter implements WebFilter {

  /** Authentication must run before this (a lower order). */
  public static final int ORDER = -50;

  /** The exchange attribute holding the chain's {@link Decision}, for the audit log. */
  public static final String DECISION_ATTRIBUTE = AuthorizationFilter.class.getName() + ".decision";

  private final AuthorizerChain authorizers;

  public AuthorizationFilter(AuthorizerChain authorizers) {
    this.authorizers = authorizers;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    UserInfo user = UserInfo.of(exchange);
    if (user == null) {
      return chain.filter(exchange);
    }
    AuthorizationAttributes attributes =
        RequestAttributes.of(
            user,
            exchange.getRequest().getMethod().name(),
            exchange.getRequest().getPath().pathWithinApplication().value(),
            exchange.getRequest().getQueryParams());
    return authorizers
        .authorize(attributes)
        .flatMap(
            d -> {
              exchange.getAttributes().put(DECISION_ATTRIBUTE, d);
              if (d.verdict() != Decision.Verdict.ALLOW) {
                return Mono.error(ForbiddenMessages.forbidden(attributes, d.reason()));
              }
              AuthorizationAttributes create = connectCreate(exchange, attributes);
              return create == null
                  ? chain.filter(exchange)
                  : authorizers
                      .authorize(create)
                      .flatMap(
                          c ->
                              c.verdict() == Decision.Verdict.ALLOW
                                  ? chain.filter(exchange)
                                  : Mono.error(ForbiddenMessages.forbidden(create, c.reason())));
            })
        .contextWrite(ctx -> ctx.put(UserInfo.ATTRIBUTE, user));
  }

  /** Pod subresources that run something in the pod when connected to. */
  private static final java.util.Set<String> CONNECT_SUBRESOURCES =
      java.util.Set.of("exec", "attach", "portforward");

  /**
   * For a WebSocket upgrade (a GET) of {@code pods/exec}, {@code pods/attach} or {@code
   * pods/portforward}, the same request with verb {@code create}, which it must be allowed too:
   * Kubernetes' {@code AuthorizePodWebsocketUpgradeCreatePermission}, so that a GET cannot do what
   * the POST of SPDY needs {@code create} for. Null for any other request.
   */
  static AuthorizationAttributes connectCreate(
      ServerWebExchange exchange, AuthorizationAttributes attributes) {
    String upgrade = exchange.getRequest().getHeaders().getFirst("Upgrade");
    if (!attributes.resourceRequest()
        || !"get".equals(attributes.verb())
        || !"pods".equals(attributes.resource())
        || !attributes.apiGroup().isEmpty()
        || !CONNECT_SUBRESOURCES.contains(attributes.subresource())
        || upgrade == null
        || !upgrade.equalsIgnoreCase("websocket")) {
      return null;
    }
    return new AuthorizationAttributes(
        attributes.user(),
        "create",
        true,
        attributes.apiGroup(),
        attributes.apiVersion(),
        attributes.resource(),
        attributes.subresource(),
        attributes.namespace(),
        attributes.name(),
        attributes.path());
  }
}
