package io.nauta.api.security;

import io.nauta.core.errors.BadRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Impersonation, as Kubernetes' impersonation filter ({@code kubectl --as}, {@code --as-group},
 * {@code --as-uid}): after authentication and before authorization, a request carrying {@code
 * Impersonate-User} (with optional {@code Impersonate-Group}s, {@code Impersonate-Uid} and {@code
 * Impersonate-Extra-<key>}s) is served as that user — if the authenticated caller may {@code
 * impersonate} each of them: {@code users}, {@code groups}, {@code serviceaccounts} (a user named
 * {@code system:serviceaccount:<ns>:<name>}) in the core group, {@code uids} and {@code
 * userextras/<key>} in {@code authentication.k8s.io}. Otherwise 403 with Kubernetes' message and
 * nothing is done. Groups, uid or extras without a user are a 400.
 */
public class ImpersonationFilter implements WebFilter, Ordered {

  /** After authentication, before authorization. */
  public static final int ORDER = AuthorizationFilter.ORDER - 10;

  static final String USER = "Impersonate-User";
  static final String GROUP = "Impersonate-Group";
  static final String UID = "Impersonate-Uid";
  static final String EXTRA_PREFIX = "Impersonate-Extra-";

  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

  private final AuthorizerChain authorizers;

  public ImpersonationFilter(AuthorizerChain authorizers) {
    this.authorizers = authorizers;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    UserInfo caller = UserInfo.of(exchange);
    HttpHeaders headers = exchange.getRequest().getHeaders();
    String user = headers.getFirst(USER);
    List<String> groups = headers.getOrEmpty(GROUP);
    String uid = headers.getFirst(UID);
    Map<String, List<String>> extra = extra(headers);
    if (caller == null || (user == null && groups.isEmpty() && uid == null && extra.isEmpty())) {
      return chain.filter(exchange);
    }
    if (user == null || user.isEmpty()) {
      return Mono.error(
          new BadRequestException(
              "requested impersonation of groups, uid or extra without impersonating a user"));
    }
    List<AuthorizationAttributes> checks = new ArrayList<>();
    checks.add(userCheck(caller, user));
    for (String group : groups) {
      checks.add(impersonate(caller, "", "groups", "", "", group));
    }
    if (uid != null) {
      checks.add(impersonate(caller, AUTHENTICATION_GROUP, "uids", "", "", uid));
    }
    extra.forEach(
        (key, values) -> {
          for (String value : values) {
            checks.add(impersonate(caller, AUTHENTICATION_GROUP, "userextras", key, "", value));
          }
        });
    return Flux.fromIterable(checks)
        .concatMap(
            attrs ->
                authorizers
                    .authorize(attrs)
                    .flatMap(
                        d ->
                            d.verdict() == Authorizer.Decision.Verdict.ALLOW
                                ? Mono.just(true)
                                : Mono.error(ForbiddenMessages.forbidden(attrs, d.reason()))))
        .then(
            Mono.defer(
                () -> {
                  UserInfo impersonated =
                      new UserInfo(
                          user, uid == null ? "" : uid, groupsOf(user, groups), Map.copyOf(extra));
                  exchange.getAttributes().put(UserInfo.ATTRIBUTE, impersonated);
                  ServerHttpRequest stripped =
                      exchange
                          .getRequest()
                          .mutate()
                          .headers(
                              h -> {
                                h.remove(USER);
                                h.remove(GROUP);
                                h.remove(UID);
                                new ArrayList<>(h.headerNames())
                                    .stream()
                                        .filter(
                                            k ->
                                                k.regionMatches(
                                                    true,
                                                    0,
                                                    EXTRA_PREFIX,
                                                    0,
                                                    EXTRA_PREFIX.length()))
                                        .forEach(h::remove);
                              })
                          .build();
                  return chain.filter(exchange.mutate().request(stripped).build());
                }));
  }

  /** A service account is impersonated as {@code serviceaccounts}, anyone else as {@code users}. */
  private static AuthorizationAttributes userCheck(UserInfo caller, String user) {
    if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
      if (parts.length == 2) {
        return impersonate(caller, "", "serviceaccounts", "", parts[0], parts[1]);
      }
    }
    return impersonate(caller, "", "users", "", "", user);
  }

  private static AuthorizationAttributes impersonate(
      UserInfo caller,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return AuthorizationAttributes.resource(
        caller, "impersonate", group, "", resource, subresource, namespace, name);
  }

  /**
   * The impersonated user's groups as Kubernetes gives them: those asked for; a service account
   * asked for without groups gets its service-account groups; everyone but {@code system:anonymous}
   * is {@code system:authenticated}, and that one {@code system:unauthenticated}.
   */
  static List<String> groupsOf(String user, List<String> asked) {
    List<String> groups = new ArrayList<>(asked);
    if (asked.isEmpty() && user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
      if (parts.length == 2) {
        groups.add("system:serviceaccounts");
        groups.add("system:serviceaccounts:" + parts[0]);
      }
    }
    String implied =
        UserInfo.ANONYMOUS.equals(user) ? UserInfo.UNAUTHENTICATED : UserInfo.AUTHENTICATED;
    if (!groups.contains(implied)) {
      groups.add(implied);
    }
    return groups;
  }

  /** {@code Impersonate-Extra-<key>} headers, keys lower-cased and unescaped as Kubernetes does. */
  private static Map<String, List<String>> extra(HttpHeaders headers) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          if (name.length() > EXTRA_PREFIX.length()
              && name.regionMatches(true, 0, EXTRA_PREFIX, 0, EXTRA_PREFIX.length())) {
            String key =
                java.net.URLDecoder.decode(
                        name.substring(EXTRA_PREFIX.length()),
                        java.nio.charset.StandardCharsets.UTF_8)
                    .toLowerCase(java.util.Locale.ROOT);
            extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
          }
        });
    return extra;
  }
}
