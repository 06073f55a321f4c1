package io.nauta.api.security;

import java.util.List;
import java.util.Map;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who made a request, as Kubernetes' {@code user.Info}: a name, an optional uid, groups and extra
 * attributes. Authentication puts it on the exchange under {@link #ATTRIBUTE}; authorization,
 * admission and handlers (TokenRequest, SelfSubjectReview, access reviews) read it from there.
 */
public record UserInfo(
    String name, String uid, List<String> groups, Map<String, List<String>> extra) {

  /** The exchange attribute holding the authenticated (or impersonated) user. */
  public static final String ATTRIBUTE = UserInfo.class.getName();

  public static final String AUTHENTICATED = "system:authenticated";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";
  public static final String MASTERS = "system:masters";

  public UserInfo {
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  public UserInfo(String name, List<String> groups) {
    this(name, "", groups, Map.of());
  }

  /** The user a request carries, or null before authentication (or with security off). */
  public static UserInfo of(ServerWebExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE);
  }
}
