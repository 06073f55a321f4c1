package io.nauta.api.security.rbac;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer.Decision;
import io.nauta.core.registry.BuiltInResources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The current {@link RbacPolicy}, built from this API server's own watch caches of the four RBAC
 * kinds (no Redis read per request) and rebuilt only when one of them applied a new event. Each
 * snapshot carries its own decision memo, so cached decisions die with the policy they were made
 * under: an RBAC change invalidates them all at once.
 */
@Component
public class RbacPolicySource {

  /** Decisions remembered per snapshot before the memo starts over. */
  private static final int MEMO_LIMIT = 50_000;

  private final List<WatchCache> caches;
  private volatile Snapshot current = new Snapshot(new long[0], RbacPolicy.empty());

  private record Snapshot(long[] versions, RbacPolicy policy, Map<Object, Decision> memo) {
    Snapshot(long[] versions, RbacPolicy policy) {
      this(versions, policy, new ConcurrentHashMap<>());
    }
  }

  public RbacPolicySource(WatchCaches watchCaches) {
    this.caches =
        List.of(
            watchCaches.get(BuiltInResources.ROLES),
            watchCaches.get(BuiltInResources.CLUSTER_ROLES),
            watchCaches.get(BuiltInResources.ROLE_BINDINGS),
            watchCaches.get(BuiltInResources.CLUSTER_ROLE_BINDINGS));
  }

  public RbacPolicy policy() {
    return snapshot().policy();
  }

  /** A decision from the memo of the current policy, computed once per distinct request. */
  public Decision decide(AuthorizationAttributes a, Function<RbacPolicy, Decision> decider) {
    Snapshot s = snapshot();
    Decision known = s.memo().get(a);
    if (known != null) {
      return known;
    }
    Decision d = decider.apply(s.policy());
    if (s.memo().size() >= MEMO_LIMIT) {
      s.memo().clear();
    }
    s.memo().put(a, d);
    return d;
  }

  private Snapshot snapshot() {
    long[] versions = versions();
    Snapshot s = current;
    if (Arrays.equals(s.versions(), versions)) {
      return s;
    }
    // Versions are read before the objects: a write landing in between is in the new snapshot
    // already and only causes one more rebuild.
    Snapshot built =
        new Snapshot(
            versions,
            RbacPolicy.of(
                objects(caches.get(0)),
                objects(caches.get(1)),
                objects(caches.get(2)),
                objects(caches.get(3))));
    current = built;
    return built;
  }

  private long[] versions() {
    long[] v = new long[caches.size() * 2];
    for (int i = 0; i < caches.size(); i++) {
      WatchCache.ReadPoint point = caches.get(i).readPoint();
      v[2 * i] = point.appliedRv();
      v[2 * i + 1] = point.rewinds();
    }
    return v;
  }

  private static List<JsonNode> objects(WatchCache cache) {
    return cache.list(ObjectFilter.all(), 0, null).items().stream()
        .map(CachedObject::node)
        .map(JsonNode.class::cast)
        .toList();
  }
}
