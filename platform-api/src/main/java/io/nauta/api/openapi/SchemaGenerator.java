package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code components.schemas} of one OpenAPI document, generated on demand from the fabric8
 * model classes: asking for a class defines its schema and, transitively, every schema it refers
 * to, so each document holds exactly the schemas its paths reach and every {@code $ref} resolves.
 */
final class SchemaGenerator {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ModelProperties properties;
  private final PatchExtensions patches;
  private final Map<String, ObjectNode> schemas = new TreeMap<>();

  SchemaGenerator(ModelProperties properties, PatchExtensions patches) {
    this.properties = properties;
    this.patches = patches;
  }

  /** Defines the schema of {@code type} (and all it refers to) and returns its name. */
  String define(Class<?> type) {
    String name = SchemaNames.of(type);
    if (schemas.containsKey(name)) {
      return name;
    }
    ObjectNode schema = JSON.objectNode();
    schemas.put(name, schema); // before the properties: a recursive type refers to itself
    switch (name) {
      case SchemaNames.QUANTITY -> schema.put("type", "string");
      case SchemaNames.INT_OR_STRING ->
          schema
              .put("type", "string")
              .put("format", "int-or-string")
              .put("x-kubernetes-int-or-string", true);
      case SchemaNames.MICRO_TIME, SchemaNames.TIME ->
          schema.put("type", "string").put("format", "date-time");
      default -> describeObject(type, schema);
    }
    return name;
  }

  /** Adds a schema built by hand (kinds with no model class on the class path, e.g. Scale). */
  void define(String name, ObjectNode schema) {
    schemas.putIfAbsent(name, schema);
  }

  /** {@code {"$ref": "#/components/schemas/<name>"}} for {@code type}, defining it first. */
  ObjectNode ref(Class<?> type) {
    return ref(define(type));
  }

  static ObjectNode ref(String name) {
    return JSON.objectNode().put("$ref", SchemaNames.ref(name));
  }

  /** Marks a schema as the one that describes a kind: kubectl finds schemas by this extension. */
  void addKind(String name, String group, String version, String kind) {
    ObjectNode schema = schemas.get(name);
    ArrayNode gvks =
        schema.has("x-kubernetes-group-version-kind")
            ? (ArrayNode) schema.get("x-kubernetes-group-version-kind")
            : schema.putArray("x-kubernetes-group-version-kind");
    for (var existing : gvks) {
      if (existing.path("group").asString("").equals(group)
          && existing.path("version").asString("").equals(version)
          && existing.path("kind").asString("").equals(kind)) {
        return;
      }
    }
    gvks.addObject().put("group", group).put("kind", kind).put("version", version);
  }

  /** All schemas defined so far, sorted by name. */
  ObjectNode schemas() {
    ObjectNode out = JSON.objectNode();
    schemas.forEach(out::set);
    return out;
  }

  private void describeObject(Class<?> type, ObjectNode schema) {
    schema.put("type", "object");
    ObjectNode props = JSON.objectNode();
    ArrayNode required = JSON.arrayNode();
    for (ModelProperties.Property p : properties.of(type)) {
      ObjectNode prop = schemaOf(p.type());
      if (TimeProperties.of(type, p.name(), p.type()) != null) {
        dateTime(prop);
      }
      patches.decorate(type, p.name(), prop);
      props.set(p.name(), prop);
      if (p.required()) {
        required.add(p.name());
      }
    }
    if (!props.isEmpty()) {
      schema.set("properties", props);
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
  }

  /**
   * Marks a Time the model keeps as a plain string (or a list or map of them) {@code date-time}, as
   * upstream's {@code metav1.Time} schema is.
   */
  private static void dateTime(ObjectNode prop) {
    ObjectNode string =
        prop.get("items") instanceof ObjectNode items
            ? items
            : prop.get("additionalProperties") instanceof ObjectNode values ? values : prop;
    if (string.path("type").asString("").equals("string") && !string.has("format")) {
      string.put("format", "date-time");
    }
  }

  /** The schema of a property of the given type, inline for scalars and collections. */
  private ObjectNode schemaOf(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw == byte[].class) {
      return JSON.objectNode().put("type", "string").put("format", "byte");
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      ObjectNode array = JSON.objectNode().put("type", "array");
      array.set("items", schemaOf(type.getContentType()));
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode map = JSON.objectNode().put("type", "object");
      map.set("additionalProperties", schemaOf(type.getContentType()));
      return map;
    }
    ObjectNode scalar = scalar(raw);
    if (scalar != null) {
      return scalar;
    }
    if (SchemaNames.isModel(raw)
        && (raw == IntOrString.class || !AnyType.class.isAssignableFrom(raw))) {
      // allOf around the $ref, as upstream writes it, leaves room for siblings such as
      // x-kubernetes-patch-strategy (a $ref's siblings are ignored in OpenAPI 3.0).
      ObjectNode wrapped = JSON.objectNode();
      wrapped.putArray("allOf").add(ref(raw));
      return wrapped;
    }
    // Object, interfaces, AnyType: any JSON value, kept as sent.
    return JSON.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
  }

  private static ObjectNode scalar(Class<?> raw) {
    if (raw == String.class || raw == Character.class || raw == char.class || raw.isEnum()) {
      return JSON.objectNode().put("type", "string");
    }
    if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int32");
    }
    if (raw == Long.class || raw == long.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int64");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return JSON.objectNode().put("type", "boolean");
    }
    if (raw == Double.class || raw == double.class) {
      return JSON.objectNode().put("type", "number").put("format", "double");
    }
    if (raw == Float.class || raw == float.class) {
      return JSON.objectNode().put("type", "number").put("format", "float");
    }
    if (raw == BigDecimal.class || raw == BigInteger.class || raw == Number.class) {
      return JSON.objectNode().put("type", "number");
    }
    if (raw == ZonedDateTime.class
        || raw == OffsetDateTime.class
        || raw == Instant.class
        || raw == Date.class) {
      return JSON.objectNode().put("type", "string").put("format", "date-time");
    }
    return null;
  }
}
