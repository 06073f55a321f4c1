package io.nauta.api.cache;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The open watches of one type, indexed so that an event is offered only to those that can select
 * it: a watch of one namespace hears only that namespace's events, and a watch with a {@code
 * spec.nodeName=<node>} field selector (every node agent's watch of its pods) only the events of
 * pods on that node, before or after the write. Which events a candidate finally sees is still
 * decided by its full filter ({@link Watcher#translate}); the index only skips those that cannot
 * match, so 1,000 agents do not each look at every pod event.
 *
 * <p>Safe for concurrent use: watches are added under the cache's write lock but may be removed
 * from any thread when their client goes away.
 */
final class WatcherIndex {

  static final String NODE_NAME = "spec.nodeName";

  private final Set<Watcher> everywhere = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Watcher>> byNamespace = new ConcurrentHashMap<>();
  private final Map<String, Set<Watcher>> byNode = new ConcurrentHashMap<>();
  private final Set<Watcher> all = ConcurrentHashMap.newKeySet();

  void add(Watcher w) {
    all.add(w);
    String node = w.filter.fields().requiredValue(NODE_NAME).orElse(null);
    if (node != null) {
      byNode.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet()).add(w);
    } else if (w.filter.namespace() != null) {
      byNamespace.computeIfAbsent(w.filter.namespace(), k -> ConcurrentHashMap.newKeySet()).add(w);
    } else {
      everywhere.add(w);
    }
  }

  void remove(Watcher w) {
    if (!all.remove(w)) {
      return;
    }
    String node = w.filter.fields().requiredValue(NODE_NAME).orElse(null);
    if (node != null) {
      removeFrom(byNode, node, w);
    } else if (w.filter.namespace() != null) {
      removeFrom(byNamespace, w.filter.namespace(), w);
    } else {
      everywhere.remove(w);
    }
  }

  private static void removeFrom(Map<String, Set<Watcher>> index, String key, Watcher w) {
    // Drops the set once empty; computeIfPresent keeps a concurrent add from losing its watcher.
    index.computeIfPresent(key, (k, set) -> set.remove(w) && set.isEmpty() ? null : set);
  }

  int size() {
    return all.size();
  }

  /** Every open watch, for bookmarks and for closing them all. */
  Iterable<Watcher> all() {
    return all;
  }

  void clear() {
    all.clear();
    everywhere.clear();
    byNamespace.clear();
    byNode.clear();
  }

  /** Hands {@code action} each watch that may select {@code e}, each once. */
  void candidates(CacheEvent e, Consumer<Watcher> action) {
    everywhere.forEach(action);
    Set<Watcher> inNamespace = byNamespace.get(e.object().namespace());
    if (inNamespace != null) {
      inNamespace.forEach(action);
    }
    if (byNode.isEmpty()) {
      return;
    }
    String now = nodeName(e.object().node());
    offer(now, action);
    // A pod bound, or moved off a node, is seen by the watches of the node it was on as well.
    if (e.previousKnown() && e.previous() != null) {
      String before = nodeName(e.previous().node());
      if (!before.equals(now)) {
        offer(before, action);
      }
    }
  }

  private void offer(String node, Consumer<Watcher> action) {
    Set<Watcher> onNode = byNode.get(node);
    if (onNode != null) {
      onNode.forEach(action);
    }
  }

  /** Read as the field selector reads it: a missing or empty value is "". */
  static String nodeName(JsonNode object) {
    JsonNode v = object.path("spec").path("nodeName");
    return v.isValueNode() && !v.isNull() ? v.asString() : "";
  }
}
