package io.nauta.core.managedfields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A custom resource's {@link FieldSchema}, read from its structural OpenAPI v3 schema: {@code
 * x-kubernetes-list-type} ({@code atomic}, the default, {@code set} or {@code map} with {@code
 * x-kubernetes-list-map-keys}, a key's {@code default} used when an item leaves it out), {@code
 * x-kubernetes-map-type: atomic}, and maps of {@code additionalProperties}. {@code metadata}
 * follows ObjectMeta's rules, as upstream merges ObjectMeta into every custom resource's schema.
 */
final class OpenApiFieldSchema implements FieldSchema {

  private static final FieldSchema OBJECT_META = FieldSchema.forKind("");

  private final JsonNode root;
  private final Map<List<String>, JsonNode> resolved = new HashMap<>();

  OpenApiFieldSchema(JsonNode root) {
    this.root = root;
  }

  private JsonNode at(List<String> path) {
    synchronized (resolved) {
      return resolved.computeIfAbsent(List.copyOf(path), this::resolve);
    }
  }

  private JsonNode resolve(List<String> path) {
    JsonNode s = root;
    for (String name : path) {
      while (s != null && s.has("items")) {
        s = s.get("items");
      }
      if (s == null) {
        return null;
      }
      JsonNode props = s.get("properties");
      if (props != null && props.has(name)) {
        s = props.get(name);
      } else if (s.get("additionalProperties") != null
          && s.get("additionalProperties").isObject()) {
        s = s.get("additionalProperties");
      } else {
        return null;
      }
    }
    return s;
  }

  @Override
  public ListType listType(List<String> path) {
    if (!path.isEmpty() && path.get(0).equals("metadata")) {
      return OBJECT_META.listType(path);
    }
    JsonNode s = at(path);
    if (s == null) {
      return ListType.ATOMIC;
    }
    String t = s.path("x-kubernetes-list-type").asString("atomic");
    if (t.equals("set")) {
      return ListType.SET;
    }
    if (t.equals("map")) {
      List<String> keys = new ArrayList<>();
      s.path("x-kubernetes-list-map-keys").values().forEach(k -> keys.add(k.asString()));
      Map<String, JsonNode> defaults = new HashMap<>();
      JsonNode itemProps = s.path("items").path("properties");
      for (String k : keys) {
        JsonNode d = itemProps.path(k).get("default");
        if (d != null) {
          defaults.put(k, d);
        }
      }
      return ListType.map(keys, defaults);
    }
    return ListType.ATOMIC;
  }

  @Override
  public boolean atomicMap(List<String> path) {
    if (!path.isEmpty() && path.get(0).equals("metadata")) {
      return OBJECT_META.atomicMap(path);
    }
    JsonNode s = at(path);
    return s != null && "atomic".equals(s.path("x-kubernetes-map-type").asString(""));
  }

  @Override
  public boolean isMapOfValues(List<String> path) {
    if (!path.isEmpty() && path.get(0).equals("metadata")) {
      return OBJECT_META.isMapOfValues(path);
    }
    JsonNode s = path.isEmpty() ? root : at(path);
    return s != null && !s.has("properties") && s.get("additionalProperties") != null;
  }
}
