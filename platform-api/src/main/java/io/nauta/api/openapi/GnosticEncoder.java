package io.nauta.api.openapi;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Encodes a Swagger 2.0 document, as {@link OpenApiV2} builds it, into the protobuf kubectl asks
 * {@code /openapi/v2} for: gnostic's {@code openapi.v2.Document} (github.com/google/gnostic-models,
 * {@code openapiv2/OpenAPIv2.proto}; the field numbers below are that file's). kube-apiserver makes
 * the same bytes by parsing its JSON with gnostic; kubectl decodes them with the generated Go code,
 * so a wrong number or wire type loses a field silently or fails the whole decode.
 *
 * <p>A vendor extension ({@code x-…}) is a {@code NamedAny} whose {@code Any.yaml} holds the value
 * as text. The text here is the value's JSON, which is YAML too: kubectl reads it back with {@code
 * yaml.Unmarshal}, and JSON's quoting keeps a string such as {@code "on"} a string under YAML 1.1.
 *
 * <p>Only the parts of Swagger 2.0 that Nauta's document uses are written; a key this class does
 * not know is an error, so that a schema feature added later fails a test here rather than
 * vanishing from what kubectl sees.
 */
final class GnosticEncoder {

  private GnosticEncoder() {}

  /** {@code openapi.v2.Document}. */
  static byte[] document(JsonNode doc) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "swagger" -> m.string(1, v);
        case "info" -> m.message(2, info(v));
        case "host" -> m.string(3, v);
        case "basePath" -> m.string(4, v);
        case "schemes" -> m.strings(5, v);
        case "consumes" -> m.strings(6, v);
        case "produces" -> m.strings(7, v);
        case "paths" -> m.message(8, paths(v));
        case "definitions" -> m.message(9, namedSchemas(v));
        case "security" -> m.messages(12, v, GnosticEncoder::securityRequirement);
        case "securityDefinitions" -> m.message(13, securityDefinitions(v));
        default -> m.extension(16, e, "Document");
      }
    }
    return m.bytes();
  }

  private static byte[] info(JsonNode info) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : info.properties()) {
      switch (e.getKey()) {
        case "title" -> m.string(1, e.getValue());
        case "version" -> m.string(2, e.getValue());
        case "description" -> m.string(3, e.getValue());
        case "termsOfService" -> m.string(4, e.getValue());
        default -> m.extension(7, e, "Info");
      }
    }
    return m.bytes();
  }

  /** {@code Paths}: extensions are field 1, the {@code NamedPathItem}s field 2. */
  private static byte[] paths(JsonNode paths) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : paths.properties()) {
      if (e.getKey().startsWith("x-")) {
        m.extension(1, e, "Paths");
      } else {
        m.message(2, named(e.getKey(), pathItem(e.getValue())));
      }
    }
    return m.bytes();
  }

  private static byte[] pathItem(JsonNode item) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : item.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "$ref" -> m.string(1, v);
        case "get" -> m.message(2, operation(v));
        case "put" -> m.message(3, operation(v));
        case "post" -> m.message(4, operation(v));
        case "delete" -> m.message(5, operation(v));
        case "options" -> m.message(6, operation(v));
        case "head" -> m.message(7, operation(v));
        case "patch" -> m.message(8, operation(v));
        case "parameters" -> m.messages(9, v, GnosticEncoder::parametersItem);
        default -> m.extension(10, e, "PathItem");
      }
    }
    return m.bytes();
  }

  private static byte[] operation(JsonNode op) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : op.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "tags" -> m.strings(1, v);
        case "summary" -> m.string(2, v);
        case "description" -> m.string(3, v);
        case "operationId" -> m.string(5, v);
        case "produces" -> m.strings(6, v);
        case "consumes" -> m.strings(7, v);
        case "parameters" -> m.messages(8, v, GnosticEncoder::parametersItem);
        case "responses" -> m.message(9, responses(v));
        case "schemes" -> m.strings(10, v);
        case "deprecated" -> m.bool(11, v);
        case "security" -> m.messages(12, v, GnosticEncoder::securityRequirement);
        default -> m.extension(13, e, "Operation");
      }
    }
    return m.bytes();
  }

  /** {@code ParametersItem}: a {@code Parameter} (1) or a {@code JsonReference} (2). */
  private static byte[] parametersItem(JsonNode p) {
    Message m = new Message();
    if (p.has("$ref")) {
      return m.message(2, jsonReference(p)).bytes();
    }
    Message parameter = new Message();
    String in = p.path("in").asString("");
    switch (in) {
      case "body" -> parameter.message(1, bodyParameter(p));
      // NonBodyParameter: header 1, formData 2, query 3, path 4.
      case "header" -> parameter.message(2, new Message().message(1, nonBody(p, false)).bytes());
      case "formData" -> parameter.message(2, new Message().message(2, nonBody(p, true)).bytes());
      case "query" -> parameter.message(2, new Message().message(3, nonBody(p, true)).bytes());
      case "path" -> parameter.message(2, new Message().message(4, nonBody(p, false)).bytes());
      default -> throw new IllegalArgumentException("a parameter in '" + in + "'");
    }
    return m.message(1, parameter.bytes()).bytes();
  }

  private static byte[] bodyParameter(JsonNode p) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "description" -> m.string(1, v);
        case "name" -> m.string(2, v);
        case "in" -> m.string(3, v);
        case "required" -> m.bool(4, v);
        case "schema" -> m.message(5, schema(v));
        default -> m.extension(6, e, "BodyParameter");
      }
    }
    return m.bytes();
  }

  /**
   * The four non-body parameter messages share one layout but for {@code allow_empty_value} (5),
   * which only the query and form-data ones have: theirs is the path and header one shifted by one
   * from {@code type} on.
   */
  private static byte[] nonBody(JsonNode p, boolean allowsEmptyValue) {
    int shift = allowsEmptyValue ? 1 : 0;
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "required" -> m.bool(1, v);
        case "in" -> m.string(2, v);
        case "description" -> m.string(3, v);
        case "name" -> m.string(4, v);
        case "allowEmptyValue" -> {
          if (!allowsEmptyValue) {
            throw unknown("allowEmptyValue", "a " + p.path("in").asString() + " parameter");
          }
          m.bool(5, v);
        }
        case "type" -> m.string(5 + shift, v);
        case "format" -> m.string(6 + shift, v);
        case "collectionFormat" -> m.string(8 + shift, v);
        case "default" -> m.message(9 + shift, any(v));
        case "maximum" -> m.dbl(10 + shift, v);
        case "exclusiveMaximum" -> m.bool(11 + shift, v);
        case "minimum" -> m.dbl(12 + shift, v);
        case "exclusiveMinimum" -> m.bool(13 + shift, v);
        case "maxLength" -> m.int64(14 + shift, v);
        case "minLength" -> m.int64(15 + shift, v);
        case "pattern" -> m.string(16 + shift, v);
        case "maxItems" -> m.int64(17 + shift, v);
        case "minItems" -> m.int64(18 + shift, v);
        case "uniqueItems" -> m.bool(19 + shift, v);
        case "enum" -> m.messages(20 + shift, v, GnosticEncoder::any);
        case "multipleOf" -> m.dbl(21 + shift, v);
        default -> m.extension(22 + shift, e, "a non-body parameter");
      }
    }
    return m.bytes();
  }

  /** {@code Responses}: the {@code NamedResponseValue}s are field 1, extensions field 2. */
  private static byte[] responses(JsonNode responses) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : responses.properties()) {
      if (e.getKey().startsWith("x-")) {
        m.extension(2, e, "Responses");
        continue;
      }
      // ResponseValue: a Response (1) or a JsonReference (2).
      JsonNode r = e.getValue();
      Message value = new Message();
      value.message(r.has("$ref") ? 2 : 1, r.has("$ref") ? jsonReference(r) : response(r));
      m.message(1, named(e.getKey(), value.bytes()));
    }
    return m.bytes();
  }

  private static byte[] response(JsonNode r) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : r.properties()) {
      switch (e.getKey()) {
        case "description" -> m.string(1, e.getValue());
        // SchemaItem: a Schema (1); a FileSchema (2) is not used.
        case "schema" -> m.message(2, new Message().message(1, schema(e.getValue())).bytes());
        default -> m.extension(5, e, "Response");
      }
    }
    return m.bytes();
  }

  /** {@code Schema}, recursively. */
  static byte[] schema(JsonNode s) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : s.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "$ref" -> m.string(1, v);
        case "format" -> m.string(2, v);
        case "title" -> m.string(3, v);
        case "description" -> m.string(4, v);
        case "default" -> m.message(5, any(v));
        case "multipleOf" -> m.dbl(6, v);
        case "maximum" -> m.dbl(7, v);
        case "exclusiveMaximum" -> m.bool(8, v);
        case "minimum" -> m.dbl(9, v);
        case "exclusiveMinimum" -> m.bool(10, v);
        case "maxLength" -> m.int64(11, v);
        case "minLength" -> m.int64(12, v);
        case "pattern" -> m.string(13, v);
        case "maxItems" -> m.int64(14, v);
        case "minItems" -> m.int64(15, v);
        case "uniqueItems" -> m.bool(16, v);
        case "maxProperties" -> m.int64(17, v);
        case "minProperties" -> m.int64(18, v);
        case "required" -> m.strings(19, v);
        case "enum" -> m.messages(20, v, GnosticEncoder::any);
        // AdditionalPropertiesItem: a Schema (1) or a boolean (2).
        case "additionalProperties" ->
            m.message(
                21,
                v.isBoolean()
                    ? new Message().bool(2, v).bytes()
                    : new Message().message(1, schema(v)).bytes());
        // TypeItem and ItemsItem wrap what may be one value or a list.
        case "type" -> m.message(22, new Message().strings(1, v).bytes());
        case "items" -> m.message(23, new Message().messages(1, v, GnosticEncoder::schema).bytes());
        case "allOf" -> m.messages(24, v, GnosticEncoder::schema);
        case "properties" -> m.message(25, namedSchemas(v));
        case "discriminator" -> m.string(26, v);
        case "readOnly" -> m.bool(27, v);
        case "example" -> m.message(30, any(v));
        default -> m.extension(31, e, "Schema");
      }
    }
    return m.bytes();
  }

  /** {@code Definitions} and {@code Properties}: repeated {@code NamedSchema} in field 1. */
  private static byte[] namedSchemas(JsonNode schemas) {
    Message m = new Message();
    schemas.properties().forEach(e -> m.message(1, named(e.getKey(), schema(e.getValue()))));
    return m.bytes();
  }

  /** {@code SecurityRequirement}: scheme name to {@code StringArray} of scopes. */
  private static byte[] securityRequirement(JsonNode requirement) {
    Message m = new Message();
    requirement
        .properties()
        .forEach(
            e -> m.message(1, named(e.getKey(), new Message().strings(1, e.getValue()).bytes())));
    return m.bytes();
  }

  private static byte[] securityDefinitions(JsonNode definitions) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : definitions.properties()) {
      JsonNode d = e.getValue();
      if (!d.path("type").asString("").equals("apiKey")) {
        throw unknown("type " + d.path("type"), "a security definition");
      }
      // SecurityDefinitionsItem: ApiKeySecurity is field 2.
      m.message(1, named(e.getKey(), new Message().message(2, apiKeySecurity(d)).bytes()));
    }
    return m.bytes();
  }

  private static byte[] apiKeySecurity(JsonNode d) {
    Message m = new Message();
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      switch (e.getKey()) {
        case "type" -> m.string(1, e.getValue());
        case "name" -> m.string(2, e.getValue());
        case "in" -> m.string(3, e.getValue());
        case "description" -> m.string(4, e.getValue());
        default -> m.extension(5, e, "ApiKeySecurity");
      }
    }
    return m.bytes();
  }

  private static byte[] jsonReference(JsonNode r) {
    Message m = new Message().string(1, r.get("$ref"));
    if (r.has("description")) {
      m.string(2, r.get("description"));
    }
    return m.bytes();
  }

  /** {@code Any}: the value as YAML text (field 2); field 1, a protobuf Any, is left empty. */
  private static byte[] any(JsonNode value) {
    return new Message().text(2, value.toString() + "\n").bytes();
  }

  /** The {@code Named…} messages all have {@code name} 1 and {@code value} 2. */
  private static byte[] named(String name, byte[] value) {
    return new Message().text(1, name).message(2, value).bytes();
  }

  private static IllegalArgumentException unknown(String key, String where) {
    return new IllegalArgumentException(
        "openapi.v2 " + where + " has no field '" + key + "' to carry it");
  }

  /** One message being written: its fields in order, nested messages as length-delimited bytes. */
  private static final class Message {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    private interface Write {
      void to(CodedOutputStream out) throws IOException;
    }

    private Message write(Write w) {
      try {
        w.to(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Message text(int field, String value) {
      return write(o -> o.writeString(field, value));
    }

    Message string(int field, JsonNode value) {
      if (!value.isString()) {
        throw new IllegalArgumentException("field " + field + " wants a string, not " + value);
      }
      return text(field, value.asString());
    }

    /** A repeated string field from a JSON array, or from a single string. */
    Message strings(int field, JsonNode value) {
      if (value.isArray()) {
        value.forEach(v -> string(field, v));
        return this;
      }
      return string(field, value);
    }

    Message bool(int field, JsonNode value) {
      return write(o -> o.writeBool(field, value.asBoolean()));
    }

    Message int64(int field, JsonNode value) {
      return write(o -> o.writeInt64(field, value.asLong()));
    }

    Message dbl(int field, JsonNode value) {
      return write(o -> o.writeDouble(field, value.asDouble()));
    }

    /** A nested message, written even when empty: an empty message still selects a oneof. */
    Message message(int field, byte[] encoded) {
      return write(o -> o.writeByteArray(field, encoded));
    }

    /** A repeated message field from a JSON array, or from a single value. */
    Message messages(int field, JsonNode value, Function<JsonNode, byte[]> encoder) {
      if (value.isArray()) {
        value.forEach(v -> message(field, encoder.apply(v)));
        return this;
      }
      return message(field, encoder.apply(value));
    }

    /** A vendor extension as {@code NamedAny} in {@code field}; any other key is an error. */
    void extension(int field, Map.Entry<String, JsonNode> e, String where) {
      if (!e.getKey().startsWith("x-")) {
        throw unknown(e.getKey(), where);
      }
      message(field, named(e.getKey(), any(e.getValue())));
    }

    byte[] bytes() {
      write(CodedOutputStream::flush);
      return buffer.toByteArray();
    }
  }
}
