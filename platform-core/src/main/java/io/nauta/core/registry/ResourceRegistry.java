package io.nauta.core.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The served resources, looked up by path segments or by {@code apiVersion} + {@code kind}. */
public final class ResourceRegistry {

  private final Map<String, ResourceType> byPath = new LinkedHashMap<>();
  private final Map<String, ResourceType> byKind = new LinkedHashMap<>();

  public ResourceRegistry(Collection<ResourceType> types) {
    for (ResourceType t : types) {
      if (byPath.putIfAbsent(pathKey(t.group(), t.version(), t.plural()), t) != null) {
        throw new IllegalArgumentException("resource registered twice: " + t.groupResource());
      }
      byKind.put(t.apiVersion() + "/" + t.kind(), t);
    }
  }

  private static String pathKey(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  /** The resource served at {@code /api(s)/<group>/<version>/<plural>}. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byPath.get(pathKey(group, version, plural)));
  }

  public Optional<ResourceType> findByKind(String apiVersion, String kind) {
    return Optional.ofNullable(byKind.get(apiVersion + "/" + kind));
  }

  public List<ResourceType> all() {
    return List.copyOf(byPath.values());
  }

  /** Served group-versions in registration order, {@code v1} (core) first. */
  public List<String> groupVersions() {
    List<String> out = new ArrayList<>();
    for (ResourceType t : byPath.values()) {
      if (!out.contains(t.apiVersion())) {
        out.add(t.apiVersion());
      }
    }
    return out;
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    return byPath.values().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }
}
