package io.nauta.api.serviceaccount;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a service-account token says, as Kubernetes' {@code serviceaccount.Claims} writes it: the
 * registered claims ({@code iss sub aud exp iat nbf jti}) and the private {@code kubernetes.io}
 * claim naming the namespace, the account and the object the token is bound to.
 *
 * @param pod the bound pod, or null
 * @param secret the bound secret, or null
 */
public record TokenClaims(
    String issuer,
    List<String> audiences,
    Instant issuedAt,
    Instant expiresAt,
    String id,
    String namespace,
    Ref serviceAccount,
    Ref pod,
    Ref secret) {

  /** A named object with its uid. */
  public record Ref(String name, String uid) {}

  public static final String USERNAME_PREFIX = "system:serviceaccount:";
  public static final String KUBERNETES_CLAIM = "kubernetes.io";

  public TokenClaims {
    audiences = List.copyOf(audiences);
  }

  /** {@code system:serviceaccount:<namespace>:<name>}, the token's subject and user name. */
  public String subject() {
    return USERNAME_PREFIX + namespace + ":" + serviceAccount.name();
  }

  JWTClaimsSet toJwt() {
    Map<String, Object> k8s = new LinkedHashMap<>();
    k8s.put("namespace", namespace);
    if (pod != null) {
      k8s.put("pod", ref(pod));
    }
    if (secret != null) {
      k8s.put("secret", ref(secret));
    }
    k8s.put("serviceaccount", ref(serviceAccount));
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject())
        .audience(audiences)
        .expirationTime(Date.from(expiresAt))
        .issueTime(Date.from(issuedAt))
        .notBeforeTime(Date.from(issuedAt))
        .jwtID(id)
        .claim(KUBERNETES_CLAIM, k8s)
        .build();
  }

  private static Map<String, Object> ref(Ref r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("uid", r.uid());
    return m;
  }

  /**
   * Reads the claims of a verified token. A token without the {@code kubernetes.io} claim or its
   * service account is not one of ours in shape: {@link IllegalArgumentException}.
   */
  static TokenClaims fromJwt(JWTClaimsSet jwt) {
    Map<String, Object> k8s;
    try {
      k8s = jwt.getJSONObjectClaim(KUBERNETES_CLAIM);
    } catch (ParseException e) {
      throw new IllegalArgumentException("kubernetes.io claim is not an object");
    }
    if (k8s == null || !(k8s.get("serviceaccount") instanceof Map<?, ?> sa)) {
      throw new IllegalArgumentException("service account token has no kubernetes.io claim");
    }
    return new TokenClaims(
        jwt.getIssuer(),
        jwt.getAudience() == null ? List.of() : jwt.getAudience(),
        instant(jwt.getIssueTime()),
        instant(jwt.getExpirationTime()),
        jwt.getJWTID(),
        text(k8s.get("namespace")),
        ref(sa),
        k8s.get("pod") instanceof Map<?, ?> p ? ref(p) : null,
        k8s.get("secret") instanceof Map<?, ?> s ? ref(s) : null);
  }

  private static Ref ref(Map<?, ?> m) {
    return new Ref(text(m.get("name")), text(m.get("uid")));
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
