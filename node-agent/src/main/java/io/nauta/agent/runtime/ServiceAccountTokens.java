package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The kubelet's service account token manager: the bound tokens projected into pods, requested
 * through TokenRequest (bound to the pod, for the projection's audience or the API server's) and
 * kept until they need a refresh: older than 80% of their life or than 24 hours (less a jitter of
 * up to 10 s, so a node's pods do not all ask at once). A refresh that fails leaves the cached
 * token in use while it is still valid. A pod's tokens are forgotten with the pod.
 */
public final class ServiceAccountTokens {

  static final Duration MAX_TTL = Duration.ofHours(24);
  static final Duration MAX_JITTER = Duration.ofSeconds(10);
  static final long DEFAULT_EXPIRATION_SECONDS = 3600;

  private static final Log log = LogFactory.getLog(ServiceAccountTokens.class);

  private record Key(
      String namespace, String serviceAccount, String audience, long expiration, String podUid) {}

  /** A token and when it expires. */
  private record Cached(String token, Instant expires, long expirationSeconds) {}

  private final PodInputs inputs;
  private final Clock clock;
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

  public ServiceAccountTokens(PodInputs inputs, Clock clock) {
    this.inputs = inputs;
    this.clock = clock;
  }

  /** The token to project for {@code projection} of {@code pod}: cached, or requested now. */
  public Mono<String> token(Pod pod, ServiceAccountTokenProjection projection) {
    String namespace = pod.getMetadata().getNamespace();
    String account = pod.getSpec().getServiceAccountName();
    if (account == null || account.isEmpty()) {
      account = "default";
    }
    String audience = projection.getAudience() == null ? "" : projection.getAudience();
    long expiration =
        projection.getExpirationSeconds() == null
            ? DEFAULT_EXPIRATION_SECONDS
            : projection.getExpirationSeconds();
    Key key = new Key(namespace, account, audience, expiration, pod.getMetadata().getUid());
    Instant now = clock.instant();
    cache.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
    Cached cached = cache.get(key);
    if (cached != null && !requiresRefresh(cached, now)) {
      return Mono.just(cached.token());
    }
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(audience.isEmpty() ? List.of() : List.of(audience))
            .withExpirationSeconds(expiration)
            .withBoundObjectRef(
                new BoundObjectReference(
                    "v1", "Pod", pod.getMetadata().getName(), pod.getMetadata().getUid()))
            .endSpec()
            .build();
    return inputs
        .serviceAccountToken(namespace, account, request)
        .map(
            answer -> {
              Cached fresh = cached(answer, expiration, now);
              cache.put(key, fresh);
              return fresh.token();
            })
        .onErrorResume(
            e -> {
              Cached still = cache.get(key);
              if (still != null && clock.instant().isBefore(still.expires())) {
                log.warn(
                    "refreshing the token of service account "
                        + key.namespace()
                        + "/"
                        + key.serviceAccount()
                        + " for pod "
                        + pod.getMetadata().getName()
                        + " failed, the current one is used until it expires: "
                        + e);
                return Mono.just(still.token());
              }
              return Mono.error(e);
            });
  }

  /** The pod is gone: its tokens too. */
  public void forget(String podUid) {
    cache.keySet().removeIf(k -> k.podUid().equals(podUid));
  }

  private static Cached cached(TokenRequest answer, long requested, Instant now) {
    String token = answer.getStatus() == null ? null : answer.getStatus().getToken();
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("the TokenRequest was answered without a token");
    }
    long seconds =
        answer.getSpec() != null && answer.getSpec().getExpirationSeconds() != null
            ? answer.getSpec().getExpirationSeconds()
            : requested;
    Instant expires;
    try {
      expires = Instant.parse(answer.getStatus().getExpirationTimestamp());
    } catch (DateTimeParseException | NullPointerException e) {
      expires = now.plusSeconds(seconds);
    }
    return new Cached(token, expires, seconds);
  }

  /** The kubelet's requiresRefresh. */
  private static boolean requiresRefresh(Cached c, Instant now) {
    Duration jitter =
        Duration.ofMillis(ThreadLocalRandom.current().nextLong(MAX_JITTER.toMillis() + 1));
    Instant issued = c.expires().minusSeconds(c.expirationSeconds());
    if (now.isAfter(issued.plus(MAX_TTL).minus(jitter))) {
      return true;
    }
    Duration lastFifth = Duration.ofSeconds(c.expirationSeconds() * 20 / 100);
    return now.isAfter(c.expires().minus(lastFifth).minus(jitter));
  }
}
