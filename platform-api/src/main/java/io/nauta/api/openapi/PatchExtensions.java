package io.nauta.api.openapi;

import io.nauta.core.patch.PatchSchema;
import io.nauta.core.patch.PatchSchema.FieldStrategy;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategic-merge extensions ({@code x-kubernetes-patch-strategy}, {@code
 * x-kubernetes-patch-merge-key}, list type and keys) of each property of each model class.
 *
 * <p>{@link PatchSchema} names fields by their path from a kind's root, but a schema is shared by
 * every kind that embeds it ({@code PodSpec} sits in a Pod and in a Deployment's template). So each
 * kind's model is walked from its root, the path looked up at every property, and what a rule says
 * is recorded against the class that declares the property. Pods are walked first: where kinds
 * disagree about a shared class, the Pod's rules for the pod subtree win. kubectl apply computes
 * its patch from exactly these extensions; without them it sends whole lists, and an item removed
 * from a manifest would never be removed on the server.
 */
final class PatchExtensions {

  /**
   * Deep enough for the longest rule (a Deployment's {@code spec.template.spec.containers.env}).
   */
  private static final int MAX_DEPTH = 7;

  private static final Set<String> PORT_KEYS = Set.of("containerPort", "port");

  private record Key(Class<?> owner, String property) {}

  private final ModelProperties properties;
  private final Map<Key, FieldStrategy> strategies = new HashMap<>();

  PatchExtensions(ModelProperties properties, Collection<ResourceType> kinds) {
    this.properties = properties;
    List<ResourceType> ordered = new ArrayList<>(kinds);
    ordered.sort(Comparator.comparing(t -> t.kind().equals("Pod") ? 0 : 1));
    for (ResourceType t : ordered) {
      walk(t.modelClass(), new ArrayList<>(), PatchSchema.forKind(t.kind()));
    }
  }

  /** No rules: for documents that describe no kind (the discovery documents). */
  static PatchExtensions none(ModelProperties properties) {
    return new PatchExtensions(properties, List.of());
  }

  private void walk(Class<?> type, List<String> path, PatchSchema schema) {
    if (path.size() >= MAX_DEPTH || !SchemaNames.isModel(type) || isScalarModel(type)) {
      return;
    }
    for (ModelProperties.Property p : properties.of(type)) {
      path.add(p.name());
      FieldStrategy s = schema.strategy(path);
      if (!s.equals(FieldStrategy.REPLACE)) {
        strategies.putIfAbsent(new Key(type, p.name()), s);
      }
      if (!p.type().isMapLikeType()) {
        walk(ModelProperties.elementClass(p.type()), path, schema);
      }
      path.remove(path.size() - 1);
    }
  }

  private static boolean isScalarModel(Class<?> type) {
    String name = SchemaNames.of(type);
    return name.equals(SchemaNames.QUANTITY) || name.equals(SchemaNames.INT_OR_STRING);
  }

  /** Adds the extensions for {@code owner.property} to its schema, if a rule names it. */
  void decorate(Class<?> owner, String property, ObjectNode schema) {
    FieldStrategy s = strategies.get(new Key(owner, property));
    if (s == null) {
      return;
    }
    boolean list = "array".equals(schema.path("type").asString(""));
    List<String> parts = new ArrayList<>();
    if (s.merge()) {
      parts.add("merge");
    }
    if (s.retainKeys()) {
      parts.add("retainKeys");
    }
    schema.put("x-kubernetes-patch-strategy", String.join(",", parts));
    if (s.mergeKey() != null) {
      schema.put("x-kubernetes-patch-merge-key", s.mergeKey());
    }
    if (!list || !s.merge()) {
      return;
    }
    if (s.mergesPrimitives()) {
      schema.put("x-kubernetes-list-type", "set");
      return;
    }
    schema.put("x-kubernetes-list-type", "map");
    var keys = schema.putArray("x-kubernetes-list-map-keys").add(s.mergeKey());
    // Ports are unique by number and protocol together (TCP and UDP on port 53), as upstream keys
    // them for server-side apply; the strategic-merge key stays the number alone.
    if (PORT_KEYS.contains(s.mergeKey()) && hasProperty(owner, property, "protocol")) {
      keys.add("protocol");
    }
  }

  private boolean hasProperty(Class<?> owner, String property, String wanted) {
    return properties.of(owner).stream()
        .filter(p -> p.name().equals(property))
        .map(p -> ModelProperties.elementClass(p.type()))
        .flatMap(c -> properties.of(c).stream())
        .anyMatch(p -> p.name().equals(wanted));
  }
}
