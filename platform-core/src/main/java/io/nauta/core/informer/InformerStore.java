package io.nauta.core.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The informer's cache: objects by {@code namespace/name} key, plus indexes (by namespace, by owner
 * uid, by {@code spec.nodeName}, and any added with {@link #addIndex}). Objects in it are shared:
 * callers copy before they change one. Writes come from one informer loop; reads from anywhere.
 */
public final class InformerStore<T extends HasMetadata> {

  public static final String BY_NAMESPACE = "namespace";
  public static final String BY_OWNER_UID = "ownerUid";
  public static final String BY_NODE_NAME = "nodeName";

  private final Map<String, T> objects = new HashMap<>();
  private final Map<String, Function<T, Collection<String>>> indexers = new LinkedHashMap<>();
  private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();

  public InformerStore() {
    addIndex(BY_NAMESPACE, o -> optional(o.getMetadata().getNamespace()));
    addIndex(
        BY_OWNER_UID,
        o ->
            o.getMetadata().getOwnerReferences() == null
                ? List.of()
                : o.getMetadata().getOwnerReferences().stream()
                    .map(OwnerReference::getUid)
                    .filter(Objects::nonNull)
                    .toList());
    addIndex(
        BY_NODE_NAME,
        o ->
            o instanceof Pod p && p.getSpec() != null
                ? optional(p.getSpec().getNodeName())
                : List.of());
  }

  private static List<String> optional(String v) {
    return v == null || v.isEmpty() ? List.of() : List.of(v);
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  public static String keyOf(HasMetadata o) {
    ObjectMeta m = o.getMetadata();
    return key(m.getNamespace(), m.getName());
  }

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** Adds an index; objects already stored are indexed at once. */
  public synchronized void addIndex(String name, Function<T, Collection<String>> indexer) {
    indexers.put(name, indexer);
    Map<String, Set<String>> index = new HashMap<>();
    indexes.put(name, index);
    objects.forEach(
        (k, o) ->
            indexer.apply(o).forEach(v -> index.computeIfAbsent(v, x -> new HashSet<>()).add(k)));
  }

  public synchronized Optional<T> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  public Optional<T> get(String namespace, String name) {
    return get(key(namespace, name));
  }

  public synchronized List<T> list() {
    return List.copyOf(objects.values());
  }

  public synchronized List<String> keys() {
    return List.copyOf(objects.keySet());
  }

  public synchronized int size() {
    return objects.size();
  }

  /** The objects whose index {@code indexName} has {@code value}, e.g. pods on a node. */
  public synchronized List<T> byIndex(String indexName, String value) {
    Map<String, Set<String>> index = indexes.get(indexName);
    if (index == null) {
      throw new IllegalArgumentException("no index " + indexName);
    }
    List<T> out = new ArrayList<>();
    for (String k : index.getOrDefault(value, Set.of())) {
      out.add(objects.get(k));
    }
    return out;
  }

  /** Stores an added or modified object; no event when it is the version already stored. */
  public synchronized Optional<InformerEvent<T>> upsert(T object) {
    String k = keyOf(object);
    T previous = objects.get(k);
    if (previous != null && sameVersion(previous, object)) {
      return Optional.empty();
    }
    put(k, previous, object);
    return Optional.of(
        previous == null ? InformerEvent.added(object) : InformerEvent.updated(previous, object));
  }

  /** Removes a deleted object; no event when it was not stored. */
  public synchronized Optional<InformerEvent<T>> remove(T object) {
    String k = keyOf(object);
    T previous = objects.remove(k);
    if (previous == null) {
      return Optional.empty();
    }
    unindex(k, previous);
    return Optional.of(InformerEvent.deleted(previous));
  }

  /**
   * Makes the store hold exactly {@code current} (a fresh list): adds what is new, updates what
   * changed, deletes what disappeared (deletes the informer missed while it was not watching).
   */
  public synchronized List<InformerEvent<T>> replace(Collection<T> current) {
    List<InformerEvent<T>> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (T o : current) {
      seen.add(keyOf(o));
      upsert(o).ifPresent(events::add);
    }
    for (String k : List.copyOf(objects.keySet())) {
      if (!seen.contains(k)) {
        T gone = objects.remove(k);
        unindex(k, gone);
        events.add(InformerEvent.deleted(gone));
      }
    }
    return events;
  }

  private void put(String k, T previous, T object) {
    if (previous != null) {
      unindex(k, previous);
    }
    objects.put(k, object);
    indexers.forEach(
        (name, f) ->
            f.apply(object)
                .forEach(v -> indexes.get(name).computeIfAbsent(v, x -> new HashSet<>()).add(k)));
  }

  private void unindex(String k, T object) {
    indexers.forEach(
        (name, f) -> {
          Map<String, Set<String>> index = indexes.get(name);
          for (String v : f.apply(object)) {
            Set<String> keys = index.get(v);
            if (keys != null) {
              keys.remove(k);
              if (keys.isEmpty()) {
                index.remove(v);
              }
            }
          }
        });
  }

  /**
   * The same version of the same object. The uid counts too: after the storage went back in time a
   * re-created object can carry the very resourceVersion an older one under its name had.
   */
  private static boolean sameVersion(HasMetadata a, HasMetadata b) {
    String ra = a.getMetadata().getResourceVersion();
    return ra != null
        && ra.equals(b.getMetadata().getResourceVersion())
        && Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
  }
}
