package io.nauta.federation.proxy;

import io.nauta.api.security.UserInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * The headers a proxied request and its response carry across the gateway, as Kubernetes' and
 * Karmada's proxies treat them: hop-by-hop headers (RFC 9110 §7.6.1, and whatever {@code
 * Connection} names) stay on their own hop; the caller's credentials and impersonation headers
 * never reach the member, where the gateway's own credentials (a token, or the client certificate
 * of its connection) and the caller's identity as {@code Impersonate-*} headers take their place,
 * so the member's RBAC decides what the caller may do.
 */
public final class ProxyHeaders {

  static final String IMPERSONATE_USER = "Impersonate-User";
  static final String IMPERSONATE_GROUP = "Impersonate-Group";
  static final String IMPERSONATE_EXTRA_PREFIX = "Impersonate-Extra-";

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /** Groups every authenticated (or anonymous) user has: the member adds them itself. */
  private static final Set<String> IMPLICIT_GROUPS =
      Set.of(UserInfo.AUTHENTICATED, UserInfo.UNAUTHENTICATED);

  private ProxyHeaders() {}

  /**
   * The headers sent to the member: the caller's, less hop-by-hop ones, {@code Host}, {@code
   * Authorization} and {@code Impersonate-*}; plus the member token (none when the gateway
   * authenticates by client certificate) and, for a known caller, the caller's name, groups and
   * extras to impersonate.
   */
  public static HttpHeaders toMember(HttpHeaders incoming, String memberToken, UserInfo caller) {
    HttpHeaders out = new HttpHeaders();
    Set<String> dropped = connectionNamed(incoming);
    incoming.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (HOP_BY_HOP.contains(lower)
              || dropped.contains(lower)
              || lower.equals("host")
              || lower.equals("authorization")
              || lower.startsWith("impersonate-")) {
            return;
          }
          out.addAll(name, values);
        });
    if (memberToken != null) {
      // Without a token the gateway authenticates by the client certificate its TLS presents.
      out.setBearerAuth(memberToken);
    }
    if (caller != null) {
      out.set(IMPERSONATE_USER, caller.name());
      for (String group : caller.groups()) {
        if (!IMPLICIT_GROUPS.contains(group)) {
          out.add(IMPERSONATE_GROUP, group);
        }
      }
      for (Map.Entry<String, List<String>> extra : caller.extra().entrySet()) {
        // Kubernetes' header form: the key percent-encoded (keys hold '/' and '.').
        String header =
            IMPERSONATE_EXTRA_PREFIX
                + URLEncoder.encode(extra.getKey(), StandardCharsets.UTF_8).replace("+", "%20");
        extra.getValue().forEach(v -> out.add(header, v));
      }
    }
    return out;
  }

  /** The member's response headers the caller gets: all but hop-by-hop ones. */
  public static void fromMember(HttpHeaders member, HttpHeaders out) {
    Set<String> dropped = connectionNamed(member);
    member.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!HOP_BY_HOP.contains(lower) && !dropped.contains(lower)) {
            out.addAll(name, values);
          }
        });
  }

  private static Set<String> connectionNamed(HttpHeaders headers) {
    Set<String> named = new HashSet<>();
    List<String> connection = headers.get(HttpHeaders.CONNECTION);
    if (connection != null) {
      for (String value : connection) {
        for (String token : value.split(",")) {
          if (!token.isBlank()) {
            named.add(token.trim().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return named;
  }
}
