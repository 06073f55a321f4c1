package io.nauta.api.storage;

import io.nauta.core.registry.ResourceType;

/**
 * The Redis keys of one resource type. All share the hash tag {@code {<group>/<resource>}}, so a
 * type lives in one Redis Cluster slot and every script touches one slot.
 *
 * @param objects hash of the objects, {@code <namespace>/<name>} to {@code "<rv> <json>"}, or to
 *     exactly the sealed bytes ({@code k8s:enc:…}, as Kubernetes writes them) for an encrypted one
 * @param resourceVersion the type's resourceVersion counter
 * @param events the watch event stream (entry IDs {@code <rv>-0})
 * @param epoch the identity of this type's data: a random value made by the first write (or
 *     snapshot) that finds none. A FLUSHALL or a Redis that starts empty has none or another one,
 *     so readers notice that the history they followed is gone.
 * @param lastWrite the write id of the newest event; each event carries its predecessor's, so a
 *     reader notices a history that was rewritten (a rewound Redis taking new writes) at once
 * @param writes prefix of the short-lived keys that remember each write's outcome by write id, so a
 *     write sent twice (a client library's replay after a reconnect) runs once
 * @param sealedVersions hash of the resourceVersions of the sealed values in {@code objects}
 *     ({@code <namespace>/<name>} to rv): a sealed value has no room for its own, and the write
 *     script sets both together (see {@code write.lua})
 */
public record StorageKeys(
    String objects,
    String resourceVersion,
    String events,
    String epoch,
    String lastWrite,
    String writes,
    String sealedVersions) {

  public static StorageKeys of(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group();
    String prefix = "nauta:{" + group + "/" + type.plural() + "}:";
    return new StorageKeys(
        prefix + "objects",
        prefix + "rv",
        prefix + "events",
        prefix + "epoch",
        prefix + "last-write",
        prefix + "write:",
        prefix + "sealed-rvs");
  }

  /** The key that remembers the outcome of the write with this id. */
  public String write(String writeId) {
    return writes + writeId;
  }

  /** The hash field of an object: {@code <namespace>/<name>}, or the name if cluster-scoped. */
  public static String field(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
