package io.nauta.api.openapi;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites the parts of an OpenAPI v3 document that {@link OpenApiV3} generates into their Swagger
 * 2.0 form, the form kube-apiserver serves at {@code /openapi/v2}: schemas refer to {@code
 * #/definitions/}, a property's {@code allOf: [$ref]} wrapper becomes a plain {@code $ref} with its
 * siblings (as upstream's v2 writes it), parameters carry their type inline, a request body is a
 * {@code body} parameter, and media types become {@code consumes}/{@code produces}.
 *
 * <p>Only what Swagger 2.0 can say is kept: keywords of v3 alone ({@code nullable}, {@code oneOf},
 * {@code anyOf}, {@code not}) are dropped, as kube-apiserver drops them when it publishes a schema
 * in v2. kubectl's parser of v2 ({@code k8s.io/kube-openapi/pkg/util/proto}) rejects the whole
 * document over one schema it cannot read, so this is strict about shape.
 */
final class OpenApiV2Conversion {

  static final String REF_PREFIX = "#/definitions/";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The Schema Object keywords of Swagger 2.0, the ones a converted schema may keep. */
  private static final Set<String> SCHEMA_KEYWORDS =
      Set.of(
          "$ref",
          "format",
          "title",
          "description",
          "default",
          "multipleOf",
          "maximum",
          "exclusiveMaximum",
          "minimum",
          "exclusiveMinimum",
          "maxLength",
          "minLength",
          "pattern",
          "maxItems",
          "minItems",
          "uniqueItems",
          "maxProperties",
          "minProperties",
          "required",
          "enum",
          "additionalProperties",
          "type",
          "items",
          "allOf",
          "properties",
          "discriminator",
          "readOnly",
          "example");

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch");

  private OpenApiV2Conversion() {}

  /** A v3 schema in its v2 form. */
  static ObjectNode schema(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    JsonNode allOf = v3.get("allOf");
    boolean wrappedRef = allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref");
    for (Map.Entry<String, JsonNode> e : v3.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      switch (key) {
        case "$ref" -> out.put("$ref", ref(value.asString()));
        case "allOf" -> {
          if (wrappedRef) {
            out.put("$ref", ref(value.get(0).get("$ref").asString()));
          } else {
            ArrayNode all = out.putArray("allOf");
            value.forEach(s -> all.add(schema(s)));
          }
        }
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          value.properties().forEach(p -> props.set(p.getKey(), schema(p.getValue())));
        }
        case "items" -> out.set("items", schema(value));
        case "additionalProperties" ->
            out.set("additionalProperties", value.isObject() ? schema(value) : value.deepCopy());
        default -> {
          if (key.startsWith("x-") || SCHEMA_KEYWORDS.contains(key)) {
            out.set(key, value.deepCopy());
          }
        }
      }
    }
    return out;
  }

  /** {@code #/components/schemas/X} as {@code #/definitions/X}. */
  static String ref(String v3Ref) {
    if (!v3Ref.startsWith(SchemaNames.REF_PREFIX)) {
      throw new IllegalArgumentException("not a reference to a schema: " + v3Ref);
    }
    return REF_PREFIX + v3Ref.substring(SchemaNames.REF_PREFIX.length());
  }

  /** A v3 path item (its operations and shared parameters) in its v2 form. */
  static ObjectNode pathItem(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<String, JsonNode> e : v3.properties()) {
      String key = e.getKey();
      if (key.equals("parameters")) {
        ArrayNode params = out.putArray("parameters");
        e.getValue().forEach(p -> params.add(parameter(p)));
      } else if (METHODS.contains(key)) {
        out.set(key, operation(e.getValue()));
      } else if (key.startsWith("x-")) {
        out.set(key, e.getValue().deepCopy());
      }
    }
    return out;
  }

  /** A v3 operation: its request body turns into a {@code body} parameter and {@code consumes}. */
  static ObjectNode operation(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    copy(v3, out, "tags", "summary", "description", "operationId");
    JsonNode body = v3.get("requestBody");
    if (body != null) {
      out.set("consumes", mediaTypes(Set.of(body)));
    }
    Set<JsonNode> responses = new LinkedHashSet<>();
    v3.path("responses").forEach(responses::add);
    ArrayNode produces = mediaTypes(responses);
    if (!produces.isEmpty()) {
      out.set("produces", produces);
    }
    out.putArray("schemes").add("https");
    ArrayNode params = JSON.arrayNode();
    if (body != null) {
      params.add(bodyParameter(body));
    }
    v3.path("parameters").forEach(p -> params.add(parameter(p)));
    if (!params.isEmpty()) {
      out.set("parameters", params);
    }
    ObjectNode outResponses = out.putObject("responses");
    v3.path("responses")
        .properties()
        .forEach(r -> outResponses.set(r.getKey(), response(r.getValue())));
    copy(v3, out, "deprecated", "security");
    v3.properties().stream()
        .filter(e -> e.getKey().startsWith("x-"))
        .forEach(e -> out.set(e.getKey(), e.getValue().deepCopy()));
    return out;
  }

  /** A query, path or header parameter: v2 puts the schema's type and format on the parameter. */
  static ObjectNode parameter(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    copy(v3, out, "name", "in", "description", "required");
    JsonNode schema = v3.path("schema");
    copy(schema, out, "type", "format", "uniqueItems");
    return out;
  }

  private static ObjectNode bodyParameter(JsonNode requestBody) {
    ObjectNode out = JSON.objectNode().put("name", "body").put("in", "body");
    if (requestBody.path("required").asBoolean(false)) {
      out.put("required", true);
    }
    out.set("schema", schema(firstSchema(requestBody)));
    return out;
  }

  private static ObjectNode response(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    copy(v3, out, "description");
    JsonNode schema = firstSchema(v3);
    if (!schema.isMissingNode()) {
      out.set("schema", schema(schema));
    }
    return out;
  }

  /** The schema of the first media type of a request body or response (v2 has one schema). */
  private static JsonNode firstSchema(JsonNode withContent) {
    Iterator<JsonNode> media = withContent.path("content").values().iterator();
    return media.hasNext() ? media.next().path("schema") : JSON.missingNode();
  }

  private static ArrayNode mediaTypes(Set<JsonNode> withContent) {
    Set<String> types = new LinkedHashSet<>();
    withContent.forEach(c -> types.addAll(c.path("content").propertyNames()));
    ArrayNode out = JSON.arrayNode();
    types.forEach(out::add);
    return out;
  }

  private static void copy(JsonNode from, ObjectNode to, String... keys) {
    for (String key : keys) {
      JsonNode value = from.get(key);
      if (value != null) {
        to.set(key, value.deepCopy());
      }
    }
  }
}
