package io.nauta.api.storage;

import io.nauta.core.registry.ResourceType;

/**
 * The Redis keys of one resource type. All share the hash tag {@code {<group>/<resource>}}, so a
 * type lives in one Redis Cluster slot and every script touches one slot.
 */
public record StorageKeys(String objects, String resourceVersion, String events) {

  public static StorageKeys of(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group();
    String prefix = "nauta:{" + group + "/" + type.plural() + "}:";
    return new StorageKeys(prefix + "objects", prefix + "rv", prefix + "events");
  }

  /** The hash field of an object: {@code <namespace>/<name>}, or the name if cluster-scoped. */
  public static String field(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
