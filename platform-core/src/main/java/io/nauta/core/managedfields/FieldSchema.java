package io.nauta.core.managedfields;

import io.nauta.core.patch.PatchSchema;
import io.nauta.core.patch.PatchSchema.FieldStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * What field ownership needs to know of a kind's structure, by the path of field names from the
 * root (list items add no step, as in {@link PatchSchema}): how each list is identified item by
 * item, and which maps are atomic or hold data keys rather than declared fields.
 */
public interface FieldSchema {

  /** How a list's items are told apart: {@code x-kubernetes-list-type}. */
  record ListType(Kind kind, List<String> keys, Map<String, JsonNode> keyDefaults) {
    public enum Kind {
      ATOMIC,
      SET,
      MAP
    }

    public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of(), Map.of());
    public static final ListType SET = new ListType(Kind.SET, List.of(), Map.of());

    public static ListType map(List<String> keys) {
      return new ListType(Kind.MAP, List.copyOf(keys), Map.of());
    }

    public static ListType map(List<String> keys, Map<String, JsonNode> defaults) {
      return new ListType(Kind.MAP, List.copyOf(keys), Map.copyOf(defaults));
    }
  }

  ListType listType(List<String> path);

  /** {@code x-kubernetes-map-type: atomic} or an atomic struct ({@code +structType=atomic}). */
  boolean atomicMap(List<String> path);

  /** A map whose keys are data ({@code labels}), not a struct's declared fields. */
  boolean isMapOfValues(List<String> path);

  static List<String> child(List<String> path, String name) {
    List<String> c = new ArrayList<>(path.size() + 1);
    c.addAll(path);
    c.add(name);
    return c;
  }

  /**
   * A built-in kind's schema: list-maps and sets from the patch merge keys of {@link PatchSchema}
   * (upstream's OpenAPI gives the same {@code x-kubernetes-list-map-keys}), with the two-key ports
   * lists ({@code containerPort,protocol} and {@code port,protocol}, protocol defaulting to TCP),
   * the atomic label selectors of workloads, and the maps of data keys Kubernetes declares.
   */
  static FieldSchema forKind(String kind) {
    return new BuiltIn(kind.toLowerCase(Locale.ROOT), PatchSchema.forKind(kind));
  }

  /** Maps whose keys are data in Kubernetes' types, by their field name. */
  Set<String> DATA_MAPS =
      Set.of(
          "labels",
          "annotations",
          "nodeSelector",
          "data",
          "binaryData",
          "stringData",
          "limits",
          "requests",
          "matchLabels",
          "capacity",
          "allocatable",
          "hard",
          "used",
          "parameters",
          "overhead");

  final class BuiltIn implements FieldSchema {
    private static final Map<String, JsonNode> TCP = Map.of("protocol", StringNode.valueOf("TCP"));

    private final String kind;
    private final PatchSchema patch;

    BuiltIn(String kind, PatchSchema patch) {
      this.kind = kind;
      this.patch = patch;
    }

    @Override
    public ListType listType(List<String> path) {
      FieldStrategy s = patch.strategy(path);
      if (!s.merge()) {
        return ListType.ATOMIC;
      }
      if (s.mergesPrimitives()) {
        return ListType.SET;
      }
      String last = path.get(path.size() - 1);
      if (last.equals("ports") && s.mergeKey().equals("containerPort")) {
        return ListType.map(List.of("containerPort", "protocol"), TCP);
      }
      if (last.equals("ports") && s.mergeKey().equals("port")) {
        return ListType.map(List.of("port", "protocol"), TCP);
      }
      return ListType.map(List.of(s.mergeKey()));
    }

    @Override
    public boolean atomicMap(List<String> path) {
      String last = path.isEmpty() ? "" : path.get(path.size() - 1);
      if (last.equals("selector")) {
        // metav1.LabelSelector is +structType=atomic; a Service's selector is +mapType=atomic.
        return path.size() == 2;
      }
      return false;
    }

    @Override
    public boolean isMapOfValues(List<String> path) {
      if (path.isEmpty()) {
        return false;
      }
      String last = path.get(path.size() - 1);
      return DATA_MAPS.contains(last)
          || (kind.equals("service") && path.equals(List.of("spec", "selector")));
    }
  }

  /** A custom resource's schema, from its structural {@code openAPIV3Schema}. */
  static FieldSchema fromOpenApi(JsonNode openApiV3Schema) {
    return new OpenApiFieldSchema(openApiV3Schema);
  }

  /** Every list atomic, every map granular: for a kind nothing is known of. */
  static FieldSchema plain() {
    return new FieldSchema() {
      @Override
      public ListType listType(List<String> path) {
        return ListType.ATOMIC;
      }

      @Override
      public boolean atomicMap(List<String> path) {
        return false;
      }

      @Override
      public boolean isMapOfValues(List<String> path) {
        return false;
      }
    };
  }
}
