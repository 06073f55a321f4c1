package io.nauta.core.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The served resources, looked up by path segments or by {@code apiVersion} + {@code kind}.
 *
 * <p>Built-in kinds are fixed at construction; sets of kinds owned by someone (a
 * CustomResourceDefinition, by its name) come and go at run time through {@link #put} and {@link
 * #remove}. Every read sees one immutable snapshot (copy-on-write), so a lookup during a change
 * sees either all of a set or none of it. Listeners hear each change after it is visible.
 *
 * <p>A kind served at several versions is stored at one of them: {@link #storageOf} names it.
 * Storage, watch caches and strategies deal in storage types only; routing and discovery in the
 * served ones. A built-in kind may also be served in another group over the same storage ({@code
 * events.k8s.io/v1} Events are the core Events): such a served type is given with the type it is
 * stored as, and is never a storage type of its own.
 */
public final class ResourceRegistry {

  /**
   * Kinds added at run time by one owner.
   *
   * @param owner who added them (a CustomResourceDefinition's name)
   * @param served the types served, one per version, in discovery's order (preferred first)
   * @param storage the type objects are stored as (it need not be served)
   */
  public record ResourceSet(String owner, List<ResourceType> served, ResourceType storage) {
    public ResourceSet {
      served = List.copyOf(served);
      Objects.requireNonNull(storage, "storage");
    }
  }

  /**
   * One change: the storage types (by {@code groupResource}) that appeared or disappeared, and
   * whether anything served changed at all.
   */
  public record Change(List<ResourceType> addedStorage, List<ResourceType> removedStorage) {}

  /** Hears every change, on the thread that made it, after the change is visible. */
  @FunctionalInterface
  public interface Listener {
    void changed(Change change);
  }

  private record Snapshot(
      Map<String, ResourceType> byPath,
      Map<String, ResourceType> byKind,
      Map<String, ResourceType> storageByGroupResource,
      Map<String, ResourceSet> sets) {}

  private final List<ResourceType> builtIn;

  /** Served built-in types (by {@code groupResource}) stored as a type of another group. */
  private final Map<String, ResourceType> sharedStorage;

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot snapshot;

  public ResourceRegistry(Collection<ResourceType> types) {
    this(types, Map.of());
  }

  /**
   * @param sharedStorage served types (among {@code types}) mapped to the type their objects are
   *     stored as, in another group
   */
  public ResourceRegistry(
      Collection<ResourceType> types, Map<ResourceType, ResourceType> sharedStorage) {
    this.builtIn = List.copyOf(types);
    Map<String, ResourceType> shared = new LinkedHashMap<>();
    sharedStorage.forEach((served, stored) -> shared.put(served.groupResource(), stored));
    this.sharedStorage = Collections.unmodifiableMap(shared);
    this.snapshot = build(Map.of());
  }

  private Snapshot build(Map<String, ResourceSet> sets) {
    Map<String, ResourceType> byPath = new LinkedHashMap<>();
    Map<String, ResourceType> byKind = new LinkedHashMap<>();
    Map<String, ResourceType> storage = new LinkedHashMap<>();
    for (ResourceType t : builtIn) {
      if (byPath.putIfAbsent(pathKey(t.group(), t.version(), t.plural()), t) != null) {
        throw new IllegalArgumentException("resource registered twice: " + t.groupResource());
      }
      byKind.put(t.apiVersion() + "/" + t.kind(), t);
      // A built-in kind served at several versions is stored at the first one listed.
      if (!sharedStorage.containsKey(t.groupResource())) {
        storage.putIfAbsent(t.groupResource(), t);
      }
    }
    for (ResourceSet set : sets.values()) {
      for (ResourceType t : set.served()) {
        if (byPath.putIfAbsent(pathKey(t.group(), t.version(), t.plural()), t) != null) {
          throw new IllegalArgumentException("resource registered twice: " + t.groupResource());
        }
        byKind.put(t.apiVersion() + "/" + t.kind(), t);
      }
      if (storage.putIfAbsent(set.storage().groupResource(), set.storage()) != null) {
        throw new IllegalArgumentException(
            "resource registered twice: " + set.storage().groupResource());
      }
    }
    // Unmodifiable views, not Map.copyOf: registration order is discovery's order.
    return new Snapshot(
        Collections.unmodifiableMap(byPath),
        Collections.unmodifiableMap(byKind),
        Collections.unmodifiableMap(storage),
        Collections.unmodifiableMap(new LinkedHashMap<>(sets)));
  }

  private static String pathKey(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  /** Hears every later change. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /**
   * Adds the owner's kinds, or replaces them by these; nothing happens (and no listener hears of
   * it) when they are what is registered already.
   *
   * @throws IllegalArgumentException when a path or storage type is taken by another owner or a
   *     built-in kind; nothing changes then
   */
  public void put(ResourceSet set) {
    Change change;
    synchronized (this) {
      Snapshot before = snapshot;
      if (set.equals(before.sets().get(set.owner()))) {
        return;
      }
      Map<String, ResourceSet> sets = new LinkedHashMap<>(before.sets());
      sets.put(set.owner(), set);
      Snapshot after = build(sets);
      snapshot = after;
      change = diff(before, after);
    }
    tell(change);
  }

  /** Removes the owner's kinds, if any. */
  public void remove(String owner) {
    Change change;
    synchronized (this) {
      Snapshot before = snapshot;
      if (!before.sets().containsKey(owner)) {
        return;
      }
      Map<String, ResourceSet> sets = new LinkedHashMap<>(before.sets());
      sets.remove(owner);
      Snapshot after = build(sets);
      snapshot = after;
      change = diff(before, after);
    }
    tell(change);
  }

  private static Change diff(Snapshot before, Snapshot after) {
    List<ResourceType> added = new ArrayList<>();
    List<ResourceType> removed = new ArrayList<>();
    after
        .storageByGroupResource()
        .forEach(
            (gr, t) -> {
              if (!before.storageByGroupResource().containsKey(gr)) {
                added.add(t);
              }
            });
    before
        .storageByGroupResource()
        .forEach(
            (gr, t) -> {
              if (!after.storageByGroupResource().containsKey(gr)) {
                removed.add(t);
              }
            });
    return new Change(List.copyOf(added), List.copyOf(removed));
  }

  private void tell(Change change) {
    for (Listener l : listeners) {
      l.changed(change);
    }
  }

  /** The owner's kinds as registered now. */
  public Optional<ResourceSet> set(String owner) {
    return Optional.ofNullable(snapshot.sets().get(owner));
  }

  /** The owner of the set a served or storage type belongs to; empty for built-in kinds. */
  public Optional<String> ownerOf(ResourceType type) {
    for (ResourceSet s : snapshot.sets().values()) {
      if (s.storage().equals(type) || s.served().contains(type)) {
        return Optional.of(s.owner());
      }
    }
    return Optional.empty();
  }

  /** The resource served at {@code /api(s)/<group>/<version>/<plural>}. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(snapshot.byPath().get(pathKey(group, version, plural)));
  }

  public Optional<ResourceType> findByKind(String apiVersion, String kind) {
    return Optional.ofNullable(snapshot.byKind().get(apiVersion + "/" + kind));
  }

  /**
   * The type objects of {@code type}'s resource are stored as: {@code type} itself for a built-in
   * kind, the storage version's type for a kind served at several versions, the other group's type
   * for one served over another group's storage.
   */
  public ResourceType storageOf(ResourceType type) {
    ResourceType shared = sharedStorage.get(type.groupResource());
    if (shared != null) {
      return shared;
    }
    ResourceType s = snapshot.storageByGroupResource().get(type.groupResource());
    return s == null ? type : s;
  }

  /** Every stored (or answered) resource once, as it is stored: one type per resource. */
  public List<ResourceType> storageTypes() {
    return List.copyOf(snapshot.storageByGroupResource().values());
  }

  /** Every served type, one per resource and version. */
  public List<ResourceType> all() {
    return List.copyOf(snapshot.byPath().values());
  }

  /** Served group-versions in registration order, {@code v1} (core) first. */
  public List<String> groupVersions() {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceType t : snapshot.byPath().values()) {
      out.add(t.apiVersion());
    }
    return List.copyOf(out);
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    return snapshot.byPath().values().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }
}
