package io.nauta.federation.apiserver;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Structural OpenAPI v3 schemas ({@code openAPIV3Schema} of a CustomResourceDefinition) derived
 * from the API records: one property per record component, typed from its Java type, so the schema
 * covers exactly the fields the records carry. The few fabric8 types the records use (selectors,
 * tolerations, taints, conditions, quantities) have their Kubernetes shapes written here. Per-field
 * rules (enums, required, defaults, CEL refusals) are added by {@link #refine}.
 */
final class RecordSchemas {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Changes to the schema of one record class, applied wherever the class appears. */
  private final Map<Class<?>, Consumer<ObjectNode>> refinements = new HashMap<>();

  /** Refines every schema of {@code type}: {@code change} gets its object schema. */
  RecordSchemas refine(Class<?> type, Consumer<ObjectNode> change) {
    refinements.merge(type, change, Consumer::andThen);
    return this;
  }

  /** The schema of a record class. */
  ObjectNode of(Class<?> type) {
    return schema(type);
  }

  private ObjectNode schema(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        ObjectNode s = typed("array");
        s.set("items", schema(args[0]));
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode s = typed("object");
        s.set("additionalProperties", schema(args[1]));
        return s;
      }
      throw new IllegalArgumentException("no schema for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return typed("string");
    }
    if (c == Integer.class || c == int.class) {
      return typed("integer").put("format", "int32");
    }
    if (c == Long.class || c == long.class) {
      return typed("integer").put("format", "int64");
    }
    if (c == Boolean.class || c == boolean.class) {
      return typed("boolean");
    }
    if (c == JsonNode.class) {
      return F.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
    }
    if (c == Quantity.class) {
      ObjectNode s = F.objectNode();
      ArrayNode any = s.putArray("anyOf");
      any.add(typed("integer"));
      any.add(typed("string"));
      return s.put("x-kubernetes-int-or-string", true);
    }
    if (c == ObjectMeta.class) {
      return typed("object");
    }
    ObjectNode known = kubernetesType(c);
    if (known != null) {
      return known;
    }
    if (!c.isRecord()) {
      throw new IllegalArgumentException("no schema for " + c);
    }
    ObjectNode s = typed("object");
    ObjectNode props = s.putObject("properties");
    for (RecordComponent rc : c.getRecordComponents()) {
      props.set(rc.getName(), schema(rc.getGenericType()));
    }
    Consumer<ObjectNode> refinement = refinements.get(c);
    if (refinement != null) {
      refinement.accept(s);
    }
    return s;
  }

  private ObjectNode kubernetesType(Class<?> c) {
    if (c == LabelSelector.class) {
      ObjectNode s = object();
      ObjectNode p = (ObjectNode) s.get("properties");
      ObjectNode labels = typed("object");
      labels.set("additionalProperties", typed("string"));
      p.set("matchLabels", labels);
      p.set("matchExpressions", arrayOf(requirement()));
      return s.put("x-kubernetes-map-type", "atomic");
    }
    if (c == NodeSelectorRequirement.class) {
      return requirement();
    }
    if (c == NodeSelector.class) {
      ObjectNode term = object();
      ((ObjectNode) term.get("properties")).set("matchExpressions", arrayOf(requirement()));
      ((ObjectNode) term.get("properties")).set("matchFields", arrayOf(requirement()));
      ObjectNode s = object();
      ((ObjectNode) s.get("properties")).set("nodeSelectorTerms", arrayOf(term));
      required(s, "nodeSelectorTerms");
      return s;
    }
    if (c == Toleration.class) {
      ObjectNode s = object("key", "operator", "value", "effect");
      ((ObjectNode) s.get("properties"))
          .set("tolerationSeconds", typed("integer").put("format", "int64"));
      return s;
    }
    if (c == Taint.class) {
      ObjectNode s = object("key", "value", "effect");
      ((ObjectNode) s.get("properties"))
          .set("timeAdded", typed("string").put("format", "date-time"));
      required(s, "key", "effect");
      return s;
    }
    if (c == Condition.class) {
      ObjectNode s = object("type", "status", "reason", "message");
      ((ObjectNode) s.get("properties"))
          .set("observedGeneration", typed("integer").put("format", "int64"));
      ((ObjectNode) s.get("properties"))
          .set("lastTransitionTime", typed("string").put("format", "date-time"));
      required(s, "type", "status");
      return s;
    }
    if (c == SessionAffinityConfig.class) {
      ObjectNode clientIp = object();
      ((ObjectNode) clientIp.get("properties"))
          .set("timeoutSeconds", typed("integer").put("format", "int32"));
      ObjectNode s = object();
      ((ObjectNode) s.get("properties")).set("clientIP", clientIp);
      return s;
    }
    return null;
  }

  private static ObjectNode requirement() {
    ObjectNode s = object("key", "operator");
    ((ObjectNode) s.get("properties")).set("values", arrayOf(typed("string")));
    required(s, "key", "operator");
    return s;
  }

  static ObjectNode typed(String type) {
    return F.objectNode().put("type", type);
  }

  static ObjectNode arrayOf(ObjectNode items) {
    ObjectNode s = typed("array");
    s.set("items", items);
    return s;
  }

  /** An object schema with these string properties. */
  static ObjectNode object(String... strings) {
    ObjectNode s = typed("object");
    ObjectNode p = s.putObject("properties");
    for (String name : strings) {
      p.set(name, typed("string"));
    }
    return s;
  }

  static void required(ObjectNode schema, String... names) {
    ArrayNode r = schema.putArray("required");
    for (String n : names) {
      r.add(n);
    }
  }

  /** The schema of property {@code name} of an object schema. */
  static ObjectNode property(ObjectNode schema, String name) {
    JsonNode p = schema.path("properties").get(name);
    if (p == null) {
      throw new IllegalArgumentException("no property " + name);
    }
    return (ObjectNode) p;
  }

  static void enumOf(ObjectNode schema, String name, String... values) {
    ArrayNode e = property(schema, name).putArray("enum");
    for (String v : values) {
      e.add(v);
    }
  }

  /**
   * Refuses {@code field} of an object schema when {@code rule} (CEL on {@code self}, the object)
   * is false: 422 naming the field, reason {@code FieldValueForbidden}.
   */
  static void refuse(ObjectNode schema, String field, String rule, String message) {
    ArrayNode rules =
        schema.has("x-kubernetes-validations")
            ? (ArrayNode) schema.get("x-kubernetes-validations")
            : schema.putArray("x-kubernetes-validations");
    rules.add(
        F.objectNode()
            .put("rule", rule)
            .put("message", message)
            .put("fieldPath", "." + field)
            .put("reason", "FieldValueForbidden"));
  }

  /** Refuses {@code field} whenever it is set: Nauta does not implement it. */
  static void notImplemented(ObjectNode schema, String field) {
    property(schema, field);
    refuse(schema, field, "!has(self." + field + ")", NOT_IMPLEMENTED);
  }

  static final String NOT_IMPLEMENTED = "not implemented by Nauta's federation gateway";
}
