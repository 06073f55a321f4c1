package io.nauta.api.customresource.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One node of an {@code openAPIV3Schema} ({@code JSONSchemaProps}), read once from JSON. The same
 * class holds the structural part (type, properties, items, additionalProperties, extensions) and
 * the value validations, also those nested under allOf/anyOf/oneOf/not, which upstream keeps in
 * separate Go types; {@link StructuralChecks} refuses what a structural schema may not say where.
 */
final class Schema {
  String type = "";
  String format = "";
  boolean nullable;
  String title = "";
  String description = "";
  boolean externalDocs;
  JsonNode defaultValue;
  List<JsonNode> enumValues;
  Double maximum;
  Double minimum;
  boolean exclusiveMaximum;
  boolean exclusiveMinimum;
  Double multipleOf;
  Long maxLength;
  Long minLength;
  Long maxItems;
  Long minItems;
  Long maxProperties;
  Long minProperties;
  String pattern = "";
  boolean uniqueItems;
  List<String> required = List.of();

  /** Null when the schema has no {@code properties}. */
  Map<String, Schema> properties;

  Schema items;
  boolean itemsIsArray;

  /** True when {@code additionalProperties} is given at all (as a schema or as a boolean). */
  boolean hasAdditionalProperties;

  /** False only for {@code additionalProperties: false}. */
  boolean additionalPropertiesAllows = true;

  Schema additionalProperties;
  List<Schema> allOf = List.of();
  List<Schema> anyOf = List.of();
  List<Schema> oneOf = List.of();
  Schema not;

  boolean xPreserveUnknownFields;
  JsonNode xPreserveUnknownFieldsRaw;
  boolean xEmbeddedResource;
  boolean xIntOrString;
  String xListType;
  List<String> xListMapKeys = List.of();
  String xMapType;
  List<ValidationRule> xValidations = List.of();

  // Keywords Kubernetes does not support; kept only to refuse them with its messages.
  boolean hasId;
  boolean hasRef;
  boolean hasAdditionalItems;
  boolean hasPatternProperties;
  boolean hasDefinitions;
  boolean hasDependencies;

  /** Set by compilation: the compiled rules of {@link #xValidations}, same order. */
  List<CelRule> celRules = List.of();

  /** Set by {@link #mark}: whether this node or one below it has compiled rules. */
  boolean hasCelRules;

  /** Set by {@link #mark}: whether this node or one below it is an embedded resource. */
  boolean hasEmbeddedResources;

  /** Set by {@link #mark}: whether this node or one below it is a set or map list. */
  boolean hasListInvariants;

  /**
   * Marks the subtree flags through the structural tree below this node, so that validation skips
   * the parts of an object where a check has nothing to do.
   */
  void mark() {
    hasCelRules = !celRules.isEmpty();
    hasEmbeddedResources = xEmbeddedResource;
    hasListInvariants = "set".equals(xListType) || "map".equals(xListType);
    List<Schema> children = new ArrayList<>();
    if (items != null) {
      children.add(items);
    }
    if (additionalProperties != null) {
      children.add(additionalProperties);
    }
    if (properties != null) {
      children.addAll(properties.values());
    }
    for (Schema child : children) {
      child.mark();
      hasCelRules |= child.hasCelRules;
      hasEmbeddedResources |= child.hasEmbeddedResources;
      hasListInvariants |= child.hasListInvariants;
    }
  }

  /** The {@code x-kubernetes-validations} entry as written. */
  record ValidationRule(
      String rule,
      String message,
      String messageExpression,
      String reason,
      String fieldPath,
      Boolean optionalOldSelf,
      JsonNode raw) {}

  static Schema parse(JsonNode n) {
    Schema s = new Schema();
    if (n == null || !n.isObject()) {
      return s;
    }
    s.type = text(n, "type");
    s.format = text(n, "format");
    s.nullable = n.path("nullable").asBoolean(false);
    s.title = text(n, "title");
    s.description = text(n, "description");
    s.externalDocs = n.has("externalDocs");
    s.defaultValue = n.has("default") ? n.get("default") : null;
    JsonNode enumNode = n.get("enum");
    if (enumNode != null && enumNode.isArray()) {
      s.enumValues = new ArrayList<>();
      enumNode.values().forEach(s.enumValues::add);
    }
    s.maximum = dbl(n, "maximum");
    s.minimum = dbl(n, "minimum");
    s.exclusiveMaximum = n.path("exclusiveMaximum").asBoolean(false);
    s.exclusiveMinimum = n.path("exclusiveMinimum").asBoolean(false);
    s.multipleOf = dbl(n, "multipleOf");
    s.maxLength = lng(n, "maxLength");
    s.minLength = lng(n, "minLength");
    s.maxItems = lng(n, "maxItems");
    s.minItems = lng(n, "minItems");
    s.maxProperties = lng(n, "maxProperties");
    s.minProperties = lng(n, "minProperties");
    s.pattern = text(n, "pattern");
    s.uniqueItems = n.path("uniqueItems").asBoolean(false);
    JsonNode requiredNode = n.get("required");
    if (requiredNode != null && requiredNode.isArray()) {
      List<String> req = new ArrayList<>();
      requiredNode.values().forEach(v -> req.add(v.asString()));
      s.required = req;
    }
    JsonNode propertiesNode = n.get("properties");
    if (propertiesNode != null && propertiesNode.isObject()) {
      s.properties = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : propertiesNode.properties()) {
        s.properties.put(e.getKey(), parse(e.getValue()));
      }
    }
    JsonNode i = n.get("items");
    if (i != null) {
      if (i.isArray()) {
        s.itemsIsArray = true;
        s.items = i.isEmpty() ? null : parse(i.get(0));
      } else {
        s.items = parse(i);
      }
    }
    JsonNode a = n.get("additionalProperties");
    if (a != null) {
      s.hasAdditionalProperties = true;
      if (a.isBoolean()) {
        s.additionalPropertiesAllows = a.asBoolean();
      } else {
        s.additionalProperties = parse(a);
      }
    }
    s.allOf = list(n, "allOf");
    s.anyOf = list(n, "anyOf");
    s.oneOf = list(n, "oneOf");
    s.not = n.has("not") ? parse(n.get("not")) : null;

    s.xPreserveUnknownFieldsRaw = n.get("x-kubernetes-preserve-unknown-fields");
    s.xPreserveUnknownFields = n.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    s.xEmbeddedResource = n.path("x-kubernetes-embedded-resource").asBoolean(false);
    s.xIntOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
    s.xListType = n.has("x-kubernetes-list-type") ? text(n, "x-kubernetes-list-type") : null;
    JsonNode k = n.get("x-kubernetes-list-map-keys");
    if (k != null && k.isArray()) {
      List<String> keys = new ArrayList<>();
      k.values().forEach(v -> keys.add(v.asString()));
      s.xListMapKeys = keys;
    }
    s.xMapType = n.has("x-kubernetes-map-type") ? text(n, "x-kubernetes-map-type") : null;
    JsonNode v = n.get("x-kubernetes-validations");
    if (v != null && v.isArray()) {
      List<ValidationRule> rules = new ArrayList<>();
      for (JsonNode r : v.values()) {
        rules.add(
            new ValidationRule(
                text(r, "rule"),
                text(r, "message"),
                text(r, "messageExpression"),
                r.has("reason") ? text(r, "reason") : null,
                text(r, "fieldPath"),
                r.has("optionalOldSelf") ? r.get("optionalOldSelf").asBoolean() : null,
                r));
      }
      s.xValidations = rules;
    }

    s.hasId = !text(n, "id").isEmpty();
    s.hasRef = n.has("$ref");
    s.hasAdditionalItems = n.has("additionalItems");
    s.hasPatternProperties = nonEmptyObject(n.get("patternProperties"));
    s.hasDefinitions = nonEmptyObject(n.get("definitions"));
    s.hasDependencies = n.has("dependencies");
    s.types =
        s.xIntOrString
            ? List.of("integer", "string")
            : s.type.isEmpty() ? List.of() : List.of(s.type);
    s.effectiveFormat = ValueValidator.effectiveFormatOf(s);
    return s;
  }

  /** Whether any value validation (upstream's {@code ValueValidation}) is set. */
  boolean hasValueValidation() {
    return !format.isEmpty()
        || maximum != null
        || minimum != null
        || exclusiveMaximum
        || exclusiveMinimum
        || multipleOf != null
        || maxLength != null
        || minLength != null
        || maxItems != null
        || minItems != null
        || maxProperties != null
        || minProperties != null
        || !pattern.isEmpty()
        || uniqueItems
        || enumValues != null
        || !required.isEmpty()
        || !allOf.isEmpty()
        || !anyOf.isEmpty()
        || !oneOf.isEmpty()
        || not != null;
  }

  private List<String> types = List.of();
  private String effectiveFormat = "";

  /** The schema's {@code type} as kube-openapi sees it: int-or-string is "integer,string". */
  List<String> types() {
    return types;
  }

  /** The format apiextensions keeps for this type (others are stripped, so not checked). */
  String effectiveFormat() {
    return effectiveFormat;
  }

  private static List<Schema> list(JsonNode n, String name) {
    JsonNode a = n.get(name);
    if (a == null || !a.isArray()) {
      return List.of();
    }
    List<Schema> out = new ArrayList<>();
    a.values().forEach(v -> out.add(parse(v)));
    return out;
  }

  private static boolean nonEmptyObject(JsonNode n) {
    return n != null && n.isObject() && !n.isEmpty();
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? "" : v.asString();
  }

  private static Double dbl(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v != null && v.isNumber() ? v.doubleValue() : null;
  }

  private static Long lng(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v != null && v.isNumber() ? v.longValue() : null;
  }
}
