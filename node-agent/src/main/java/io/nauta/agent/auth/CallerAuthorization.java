package io.nauta.agent.auth;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.nauta.core.client.ResourceClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * Whether a caller may do what it asks of the agent, as the kubelet's {@code
 * --authorization-mode=Webhook}: a {@code SubjectAccessReview} for the caller (user, groups, uid,
 * extra) on {@code nodes/<subresource>} named after the node. Answers are remembered as the
 * kubelet's defaults say: an allow for {@code allowedTtl} (5 min), a denial for {@code deniedTtl}
 * (30 s). A failed review is not remembered.
 */
public final class CallerAuthorization {

  private final ResourceClient<SubjectAccessReview> reviews;
  private final Duration allowedTtl;
  private final Duration deniedTtl;
  private final TtlCache<Key, Boolean> cache;

  public CallerAuthorization(
      ResourceClient<SubjectAccessReview> reviews,
      Duration allowedTtl,
      Duration deniedTtl,
      Clock clock) {
    this.reviews = reviews;
    this.allowedTtl = allowedTtl;
    this.deniedTtl = deniedTtl;
    this.cache = new TtlCache<>(clock);
  }

  public Mono<Boolean> allowed(Caller caller, NodeRequestAttributes attributes) {
    Key key = key(caller, attributes);
    Boolean known = cache.get(key);
    if (known != null) {
      return Mono.just(known);
    }
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(caller.name())
            .withUid(caller.uid().isEmpty() ? null : caller.uid())
            .withGroups(caller.groups().isEmpty() ? null : new ArrayList<>(caller.groups()))
            .withExtra(caller.extra().isEmpty() ? null : new TreeMap<>(caller.extra()))
            .withNewResourceAttributes()
            .withVerb(attributes.verb())
            .withGroup("")
            .withVersion("v1")
            .withResource("nodes")
            .withSubresource(attributes.subresource())
            .withName(attributes.node())
            .endResourceAttributes()
            .endSpec()
            .build();
    return reviews
        .create(review)
        .map(r -> r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().getAllowed()))
        .doOnNext(allowed -> cache.put(key, allowed, allowed ? allowedTtl : deniedTtl));
  }

  /** What an answer depends on: the whole subject and the attributes (the path does not count). */
  private record Key(Caller caller, String verb, String subresource, String node) {}

  private static Key key(Caller caller, NodeRequestAttributes a) {
    return new Key(caller, a.verb(), a.subresource(), a.node());
  }
}
