package io.nauta.api.serviceaccount;

import io.nauta.api.authentication.TokenAuthenticator;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.security.Authenticator;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Authenticates service-account tokens (Kubernetes' service-account token authenticator): a valid
 * signature from our issuer for one of the API server's audiences, and an account (and bound pod or
 * secret) that still exists with the uid the token names. The objects are read from the watch
 * cache, in memory, on every request, so deleting the account or the pod revokes its tokens as soon
 * as the cache sees the deletion.
 *
 * <p>The user is {@code system:serviceaccount:<ns>:<name>} with the account's uid, groups {@code
 * system:serviceaccounts}, {@code system:serviceaccounts:<ns>} and {@code system:authenticated},
 * and extra {@code authentication.kubernetes.io/pod-name|pod-uid|credential-id} as Kubernetes sets
 * them.
 */
@Component
@Order(ServiceAccountTokenAuthenticator.ORDER)
public class ServiceAccountTokenAuthenticator implements Authenticator, TokenAuthenticator {

  /** After client certificates (X.509), before bootstrap and static tokens. */
  public static final int ORDER =
      400; // after x509 (100), the token file (200), bootstrap tokens (300)

  public static final String GROUP_ALL = "system:serviceaccounts";
  public static final String GROUP_PREFIX = "system:serviceaccounts:";
  public static final String EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
  public static final String EXTRA_POD_UID = "authentication.kubernetes.io/pod-uid";
  public static final String EXTRA_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

  private final TokenVerifier verifier;
  private final WatchCaches caches;
  private final ServiceAccountTokenProperties props;
  private final Clock clock;

  @Autowired
  public ServiceAccountTokenAuthenticator(
      TokenVerifier verifier, WatchCaches caches, ServiceAccountTokenProperties props) {
    this(verifier, caches, props, Clock.systemUTC());
  }

  ServiceAccountTokenAuthenticator(
      TokenVerifier verifier,
      WatchCaches caches,
      ServiceAccountTokenProperties props,
      Clock clock) {
    this.verifier = verifier;
    this.caches = caches;
    this.props = props;
    this.clock = clock;
  }

  @Override
  public Mono<UserInfo> authenticate(ServerHttpRequest request) {
    String token =
        TokenAuthenticator.bearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      return Mono.empty();
    }
    return authenticateToken(token, props.audiences()).map(Authenticated::user);
  }

  @Override
  public Mono<Authenticated> authenticateToken(String token, List<String> audiences) {
    return Mono.fromCallable(
        () -> {
          TokenVerifier.Verified verified = verifier.verify(token, audiences);
          if (verified == null) {
            return null;
          }
          return new Authenticated(user(validate(verified.claims())), verified.audiences());
        });
  }

  /** Kubernetes' claims validator: the account, and the bound secret or pod, as named. */
  private TokenClaims validate(TokenClaims c) {
    Instant deletedBefore = clock.instant().minus(TokenVerifier.LEEWAY);
    String ns = c.namespace();
    String saName = c.serviceAccount().name();
    JsonNode sa = current(BuiltInResources.SERVICEACCOUNTS, ns, saName);
    if (sa == null) {
      throw new UnauthorizedException("serviceaccount \"" + saName + "\" not found");
    }
    if (deletedBefore(sa, deletedBefore)) {
      throw new UnauthorizedException("service account " + ns + "/" + saName + " has been deleted");
    }
    String saUid = uid(sa);
    if (!saUid.equals(c.serviceAccount().uid())) {
      throw new UnauthorizedException(
          "service account UID ("
              + saUid
              + ") does not match claim ("
              + c.serviceAccount().uid()
              + ")");
    }
    if (c.secret() != null) {
      checkBound(BuiltInResources.SECRETS, "secret", ns, c.secret(), deletedBefore);
    }
    if (c.pod() != null) {
      checkBound(BuiltInResources.PODS, "pod", ns, c.pod(), deletedBefore);
    }
    return c;
  }

  private void checkBound(
      ResourceType type, String what, String ns, TokenClaims.Ref ref, Instant deletedBefore) {
    JsonNode obj = current(type, ns, ref.name());
    if (obj == null || deletedBefore(obj, deletedBefore)) {
      throw new UnauthorizedException("service account token has been invalidated");
    }
    String uid = uid(obj);
    if (!uid.equals(ref.uid())) {
      String claim = what.equals("pod") ? "pod ref claim" : "secret ref claim";
      throw new UnauthorizedException(
          what
              + " UID ("
              + uid
              + ") does not match service account "
              + claim
              + " ("
              + ref.uid()
              + ")");
    }
  }

  private JsonNode current(ResourceType type, String ns, String name) {
    CachedObject o = caches.get(type).get(ns, name);
    return o == null ? null : o.node();
  }

  private static String uid(JsonNode obj) {
    return obj.path("metadata").path("uid").asString("");
  }

  private static boolean deletedBefore(JsonNode obj, Instant limit) {
    String ts = obj.path("metadata").path("deletionTimestamp").asString("");
    if (ts.isEmpty()) {
      return false;
    }
    try {
      return Instant.parse(ts).isBefore(limit);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static UserInfo user(TokenClaims c) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    if (c.pod() != null && !c.pod().name().isEmpty() && !c.pod().uid().isEmpty()) {
      extra.put(EXTRA_POD_NAME, List.of(c.pod().name()));
      extra.put(EXTRA_POD_UID, List.of(c.pod().uid()));
    }
    if (c.id() != null && !c.id().isEmpty()) {
      extra.put(EXTRA_CREDENTIAL_ID, List.of("JTI=" + c.id()));
    }
    return new UserInfo(
        c.subject(),
        c.serviceAccount().uid(),
        List.of(GROUP_ALL, GROUP_PREFIX + c.namespace(), UserInfo.AUTHENTICATED),
        extra);
  }
}
