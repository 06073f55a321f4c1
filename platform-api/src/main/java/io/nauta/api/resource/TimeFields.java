package io.nauta.api.resource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.api.openapi.ModelProperties;
import io.nauta.api.openapi.SchemaNames;
import io.nauta.api.openapi.TimeProperties;
import io.nauta.api.openapi.TimeProperties.Kind;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.TypeFactory;

/**
 * The {@code metav1.Time} and {@code metav1.MicroTime} values of a kind, written on every write as
 * Kubernetes stores them: it decodes a request into its Go types and encodes them back, so a Time
 * sent as {@code 2024-01-01T10:00:00.123+02:00} is stored and returned as {@code
 * 2024-01-01T08:00:00Z}, a MicroTime as {@code 2024-01-01T08:00:00.123000Z}, and a value that is no
 * time at all is a 400 ("… cannot be handled as a …: parsing time …").
 *
 * <p>Where those values are is worked out once per model class from the fabric8 model (which
 * properties lead where, lists and maps included) and upstream's OpenAPI definitions, which say
 * which properties are a Time or a MicroTime ({@link TimeProperties}). A write then visits only the
 * branches that lead to one: a pod's conditions, container states and metadata, not its whole spec.
 *
 * <p>A custom resource's own fields are its schema's, and Kubernetes keeps a {@code date-time}
 * string there as sent; only its {@code metadata} is ObjectMeta, decoded as such, and a malformed
 * time there is dropped rather than refused, as apiextensions' metadata coercion drops it.
 */
public final class TimeFields {

  /**
   * Where a value is, in a tree that holds only what leads to a time: an object's fields, a list's
   * items, a map's values, or the time itself (with the Go struct and field path that Kubernetes'
   * decoding errors name).
   */
  private static final class Node {
    final Map<String, Node> fields = new LinkedHashMap<>();
    Node items;
    Node values;
    Kind time;
    String goStruct;
    String goField;

    boolean isEmpty() {
      return fields.isEmpty() && items == null && values == null && time == null;
    }
  }

  private static final TimeFields NONE = new TimeFields(new Node(), false);

  private static final ModelProperties PROPERTIES =
      new ModelProperties(TypeFactory.createDefaultInstance());

  private static final Map<Class<?>, TimeFields> BY_CLASS = new ConcurrentHashMap<>();

  private final Node root;
  private final boolean dropMalformed;

  private TimeFields(Node root, boolean dropMalformed) {
    this.root = root;
    this.dropMalformed = dropMalformed;
  }

  /** The time fields of {@code type}'s objects, worked out on first use and kept. */
  public static TimeFields of(ResourceType type) {
    Class<?> model = type.modelClass();
    if (model == null || !SchemaNames.isModel(model)) {
      return NONE;
    }
    return BY_CLASS.computeIfAbsent(model, TimeFields::derive);
  }

  /**
   * Rewrites, in place, every Time and MicroTime value of {@code obj} in Kubernetes' form; {@code
   * type} names the kind in the 400 for a value that is not a time.
   */
  public void normalize(ObjectNode obj, ResourceType type) {
    if (!root.isEmpty()) {
      visit(obj, root, type);
    }
  }

  /** Whether the kind has no time field at all (then a write costs nothing here). */
  boolean isEmpty() {
    return root.isEmpty();
  }

  /**
   * The paths of the time fields, for tests and the curious: {@code status.conditions[].
   * lastTransitionTime=Time}, {@code status.disruptedPods{}=Time}.
   */
  List<String> paths() {
    List<String> out = new ArrayList<>();
    collect(root, "", out);
    return out;
  }

  private static void collect(Node node, String at, List<String> out) {
    if (node.time != null) {
      out.add(at + "=" + (node.time == Kind.TIME ? "Time" : "MicroTime"));
    }
    node.fields.forEach(
        (name, child) -> collect(child, at.isEmpty() ? name : at + "." + name, out));
    if (node.items != null) {
      collect(node.items, at + "[]", out);
    }
    if (node.values != null) {
      collect(node.values, at + "{}", out);
    }
  }

  // ---- the write

  private void visit(JsonNode value, Node node, ResourceType type) {
    if (value instanceof ObjectNode o) {
      for (Map.Entry<String, Node> f : node.fields.entrySet()) {
        JsonNode child = o.get(f.getKey());
        if (child == null || child.isNull()) {
          continue;
        }
        Node next = f.getValue();
        if (next.time != null) {
          normalizeField(o, f.getKey(), child, next, type);
        } else {
          visit(child, next, type);
        }
      }
      if (node.values != null) {
        Node next = node.values;
        for (String key : List.copyOf(o.propertyNames())) {
          JsonNode child = o.get(key);
          if (next.time != null && !child.isNull()) {
            normalizeField(o, key, child, next, type);
          } else if (next.time == null) {
            visit(child, next, type);
          }
        }
      }
    } else if (value instanceof ArrayNode a && node.items != null) {
      // Lists of objects; upstream has no list whose items are themselves times.
      for (JsonNode item : a) {
        visit(item, node.items, type);
      }
    }
  }

  private void normalizeField(
      ObjectNode holder, String field, JsonNode value, Node leaf, ResourceType type) {
    if (!value.isString()) {
      if (dropMalformed) {
        holder.remove(field);
        return;
      }
      // Go's json decoding a non-string into the string metav1.Time reads first.
      throw ObjectCodec.cannotHandle(
          type,
          "json: cannot unmarshal "
              + jsonType(value)
              + " into Go struct field "
              + leaf.goStruct
              + "."
              + leaf.goField
              + " of type string");
    }
    String sent = value.asString();
    String canonical;
    try {
      canonical = leaf.time == Kind.TIME ? GoTime.time(sent) : GoTime.microTime(sent);
    } catch (GoTime.Unparsable e) {
      if (dropMalformed) {
        holder.remove(field);
        return;
      }
      throw ObjectCodec.cannotHandle(type, e.getMessage());
    }
    if (canonical == null) {
      holder.putNull(field);
    } else if (!canonical.equals(sent)) {
      holder.put(field, canonical);
    }
  }

  private static String jsonType(JsonNode value) {
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return value.isArray() ? "array" : "object";
  }

  // ---- derivation, once per model class

  private static TimeFields derive(Class<?> model) {
    Node root = new Node();
    describe(model, root, "", reachingTime(model), new HashSet<>());
    if (model == GenericKubernetesResource.class) {
      // Only metadata is known to be ObjectMeta; the rest is the resource's schema's, kept as sent.
      Node metadataOnly = new Node();
      Node metadata = root.fields.get("metadata");
      if (metadata != null) {
        metadataOnly.fields.put("metadata", metadata);
      }
      return new TimeFields(metadataOnly, true);
    }
    return root.isEmpty() ? NONE : new TimeFields(root, false);
  }

  /** Fills {@code node} with what leads from {@code type}'s properties to a time. */
  private static void describe(
      Class<?> type, Node node, String goPath, Set<Class<?>> reaching, Set<Class<?>> onPath) {
    onPath.add(type);
    for (ModelProperties.Property p : PROPERTIES.of(type)) {
      JavaType t = p.type();
      Node child = new Node();
      String field = goPath.isEmpty() ? p.name() : goPath + "." + p.name();
      Node leafParent;
      if (t.isCollectionLikeType() || t.isArrayType()) {
        leafParent = new Node();
        leafParent.items = child;
      } else if (t.isMapLikeType()) {
        leafParent = new Node();
        leafParent.values = child;
      } else {
        leafParent = child;
      }
      Class<?> element = TimeProperties.elementOf(t);
      Kind kind = TimeProperties.of(type, p.name(), p.type());
      if (kind != null) {
        child.time = kind;
        child.goStruct = type.getSimpleName();
        child.goField = field;
      } else if (reaching.contains(element) && !onPath.contains(element)) {
        // A recursive type is followed once along a path: upstream has no time inside one.
        describe(element, child, field, reaching, onPath);
      }
      if (!child.isEmpty()) {
        node.fields.put(p.name(), leafParent);
      }
    }
    onPath.remove(type);
  }

  /**
   * The model classes reachable from {@code root} from which a Time or MicroTime can be reached:
   * every class reachable is listed with the classes its properties lead to, then a class is marked
   * while it has a time of its own or leads to a marked one (recursive types, such as a custom
   * resource definition's schema, included).
   */
  private static Set<Class<?>> reachingTime(Class<?> root) {
    Map<Class<?>, Set<Class<?>>> leadsTo = new HashMap<>();
    Set<Class<?>> marked = new HashSet<>();
    List<Class<?>> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Class<?> type = pending.remove(pending.size() - 1);
      if (leadsTo.containsKey(type)) {
        continue;
      }
      Set<Class<?>> next = new HashSet<>();
      leadsTo.put(type, next);
      for (ModelProperties.Property p : PROPERTIES.of(type)) {
        Class<?> element = TimeProperties.elementOf(p.type());
        if (TimeProperties.of(type, p.name(), p.type()) != null) {
          marked.add(type);
        } else if (SchemaNames.isModel(element)) {
          next.add(element);
          pending.add(element);
        }
      }
    }
    for (boolean changed = true; changed; ) {
      changed = false;
      for (Map.Entry<Class<?>, Set<Class<?>>> e : leadsTo.entrySet()) {
        if (!marked.contains(e.getKey()) && e.getValue().stream().anyMatch(marked::contains)) {
          changed = marked.add(e.getKey());
        }
      }
    }
    return marked;
  }
}
