package io.nauta.api.security.node;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.security.node.PodReferences.Ref;
import io.nauta.core.registry.BuiltInResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The node authorizer's graph, as Kubernetes keeps it ({@code plugin/pkg/auth/authorizer/node/
 * graph.go}) but flattened to what Nauta serves: for each node, the objects the pods bound to it
 * refer to (see {@link PodReferences}), counted, so a decision is one map lookup and a change of
 * one pod touches only its own references.
 *
 * <p>Fed by the pod watch cache's {@link WatchCache.Listener}, under the cache's lock: when a node
 * agent sees a pod bound to it (from the same cache), its references are already here.
 *
 * <p>The claim cache feeds the claim-to-volume edge ({@code spec.volumeName}), so a node reaches
 * the PersistentVolume of a claim its pods use, as upstream's {@code pvc -> pv} edge; a volume's
 * own secret references (a CSI volume's {@code nodePublishSecretRef}) are not followed.
 */
@Component
public class NodeGraph implements WatchCache.Listener {

  /** A bound pod's node and references, to undo exactly what it added. */
  private record PodEdges(String node, Set<Ref> refs) {}

  /** Written only by the pod cache's thread (under its lock); read by every request. */
  private final Map<String, PodEdges> pods = new HashMap<>();

  private final Map<String, Map<Ref, Integer>> byNode = new ConcurrentHashMap<>();

  /** The claims bound to each volume name (usually one), fed by {@link #claims}. */
  private final Map<String, Set<Ref>> claimsByVolume = new ConcurrentHashMap<>();

  /** The claim cache's listener: keeps {@link #claimsByVolume}. */
  final Claims claims = new Claims();

  @Autowired // beside the tests' constructor
  public NodeGraph(WatchCaches caches) {
    caches.get(BuiltInResources.PODS).listen(this);
    caches.get(BuiltInResources.PERSISTENT_VOLUME_CLAIMS).listen(claims);
  }

  /** A graph fed by hand, for tests of the decisions. */
  NodeGraph() {}

  /** Whether a pod bound to {@code node} refers to the object. */
  public boolean related(String node, String resource, String namespace, String name) {
    Map<Ref, Integer> refs = byNode.get(node);
    if (refs == null) {
      return false;
    }
    if (resource.equals(PodReferences.VOLUMES)) {
      // node -> pod -> claim -> volume
      Set<Ref> bound = claimsByVolume.get(name);
      return bound != null && bound.stream().anyMatch(refs::containsKey);
    }
    return refs.containsKey(new Ref(resource, namespace, name));
  }

  @Override
  public synchronized void replaced(List<CachedObject> objects) {
    pods.clear();
    byNode.clear();
    for (CachedObject pod : objects) {
      PodEdges edges = edges(pod);
      if (edges != null) {
        pods.put(pod.sortKey(), edges);
        add(edges);
      }
    }
  }

  @Override
  public synchronized void applied(CachedObject object, CachedObject previous, boolean deleted) {
    PodEdges old = pods.get(object.sortKey());
    PodEdges now = deleted ? null : edges(object);
    if (java.util.Objects.equals(old, now)) {
      return; // a status update: same node, same references
    }
    // Add before removing: a reference the pod keeps never disappears for a concurrent reader.
    if (now != null) {
      pods.put(object.sortKey(), now);
      add(now);
    } else {
      pods.remove(object.sortKey());
    }
    if (old != null) {
      subtract(old);
    }
  }

  /** The claims' side of the graph: which claim names which volume. */
  final class Claims implements WatchCache.Listener {

    /** Each claim's volume, to undo exactly what it added; under the claim cache's lock. */
    private final Map<String, String> volumeOf = new HashMap<>();

    @Override
    public synchronized void replaced(List<CachedObject> objects) {
      volumeOf.clear();
      claimsByVolume.clear();
      objects.forEach(c -> applied(c, null, false));
    }

    @Override
    public synchronized void applied(CachedObject claim, CachedObject previous, boolean deleted) {
      String key = claim.sortKey();
      String now = deleted ? "" : claim.node().path("spec").path("volumeName").asString("");
      String was = volumeOf.getOrDefault(key, "");
      if (now.equals(was)) {
        return;
      }
      Ref ref = new Ref(PodReferences.CLAIMS, claim.namespace(), claim.name());
      if (!now.isEmpty()) {
        volumeOf.put(key, now);
        claimsByVolume.computeIfAbsent(now, v -> ConcurrentHashMap.newKeySet()).add(ref);
      } else {
        volumeOf.remove(key);
      }
      if (!was.isEmpty()) {
        claimsByVolume.computeIfPresent(
            was,
            (v, set) -> {
              set.remove(ref);
              return set.isEmpty() ? null : set;
            });
      }
    }
  }

  private static PodEdges edges(CachedObject pod) {
    String node = pod.node().path("spec").path("nodeName").asString("");
    return node.isEmpty() ? null : new PodEdges(node, PodReferences.of(pod.node()));
  }

  private void add(PodEdges edges) {
    Map<Ref, Integer> counts = byNode.computeIfAbsent(edges.node(), n -> new ConcurrentHashMap<>());
    for (Ref r : edges.refs()) {
      counts.merge(r, 1, Integer::sum);
    }
  }

  private void subtract(PodEdges edges) {
    Map<Ref, Integer> counts = byNode.get(edges.node());
    for (Ref r : edges.refs()) {
      counts.computeIfPresent(r, (k, n) -> n == 1 ? null : n - 1);
    }
    if (counts.isEmpty()) {
      byNode.remove(edges.node());
    }
  }
}
