package io.nauta.api.cache;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object in the watch cache: parsed once when its event is applied, then shared by every list
 * and watch. Never mutate {@link #node()}; copy it first.
 *
 * @param sortKey orders objects as Kubernetes lists them: by namespace, then name
 * @param json the object exactly as stored, written to clients without re-serializing
 */
public record CachedObject(
    String sortKey,
    String namespace,
    String name,
    long resourceVersion,
    ObjectNode node,
    String json,
    Map<String, String> labels) {

  static String sortKey(String namespace, String name) {
    // NUL sorts before every character a namespace may contain: namespace order, then name order.
    return (namespace == null ? "" : namespace) + '\0' + name;
  }
}
