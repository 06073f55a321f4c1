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
 * agent sees a pod bound to it (from the same cache), its references are already here. PVCs are not
 * served, so there is no claim-to-volume edge and no PersistentVolume is reachable.
 */
@Component
public class NodeGraph implements WatchCache.Listener {

  /** A bound pod's node and references, to undo exactly what it added. */
  private record PodEdges(String node, Set<Ref> refs) {}

  /** Written only by the pod cache's thread (under its lock); read by every request. */
  private final Map<String, PodEdges> pods = new HashMap<>();

  private final Map<String, Map<Ref, Integer>> byNode = new ConcurrentHashMap<>();

  @Autowired // beside the tests' constructor
  public NodeGraph(WatchCaches caches) {
    caches.get(BuiltInResources.PODS).listen(this);
  }

  /** A graph fed by hand, for tests of the decisions. */
  NodeGraph() {}

  /** Whether a pod bound to {@code node} refers to the object. */
  public boolean related(String node, String resource, String namespace, String name) {
    Map<Ref, Integer> refs = byNode.get(node);
    return refs != null && refs.containsKey(new Ref(resource, namespace, name));
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
