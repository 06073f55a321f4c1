package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.RandomChoices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random objects drawn from a schema: valid ones (plus unknown fields) survive prune,
 * default and validate with no error, pruning twice changes nothing, and a wrong type put at a
 * random integer field is reported at exactly that field with Kubernetes' message.
 */
class RandomObjectsTest {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final String SCHEMA =
      """
      type: object
      properties:
        spec:
          type: object
          required: [size]
          properties:
            size: {type: integer, minimum: 1, maximum: 100}
            ratio: {type: number, minimum: 0, maximum: 1}
            tier: {type: string, enum: [gold, silver, bronze]}
            enabled: {type: boolean, default: true}
            port: {x-kubernetes-int-or-string: true}
            labels: {type: object, additionalProperties: {type: string, maxLength: 10}}
            rules:
              type: array
              maxItems: 4
              items:
                type: object
                properties:
                  weight: {type: integer, minimum: 0, maximum: 10}
                  hosts: {type: array, items: {type: string}}
            workers:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  slots: {type: integer, minimum: 0, maximum: 8, default: 1}
          x-kubernetes-validations:
            - rule: "!has(self.ratio) || self.ratio <= 1.0"
      """;

  @Test
  void validRandomObjectsPassAndPruningIsIdempotent() {
    CustomResourceSchema schema = Yaml.schema(SCHEMA);
    Schema parsed = Schema.parse(Yaml.node(SCHEMA));
    for (long seed = 0; seed < 300; seed++) {
      RandomChoices random = new RandomChoices(seed);
      ObjectNode obj = (ObjectNode) valid(parsed, random, true);
      obj.put("apiVersion", "example.com/v1");
      obj.put("kind", "Widget");
      obj.set("metadata", F.objectNode().put("name", "w" + seed));

      schema.prune(obj);
      ObjectNode once = obj.deepCopy();
      schema.prune(obj);
      schema.applyDefaults(obj);

      assertThat(once).as("seed %d", seed).isEqualTo(pruneOnly(schema, once.deepCopy()));
      assertThat(messages(schema.validate(obj, null))).as("seed %d: %s", seed, obj).isEmpty();
      assertThat(obj.get("metadata").get("name").asString()).isEqualTo("w" + seed);
    }
  }

  @Test
  void aWrongTypeAtARandomIntegerFieldIsReportedThere() {
    CustomResourceSchema schema = Yaml.schema(SCHEMA);
    Schema parsed = Schema.parse(Yaml.node(SCHEMA));
    int checked = 0;
    for (long seed = 0; seed < 300; seed++) {
      RandomChoices random = new RandomChoices(seed);
      ObjectNode obj = (ObjectNode) valid(parsed, random, false);
      List<String> paths = new ArrayList<>();
      integerFields(parsed, obj, "", paths);
      if (paths.isEmpty()) {
        continue;
      }
      String path = random.of(paths);
      set(obj, path, F.stringNode("x"));

      assertThat(messages(schema.validate(obj, null)))
          .as("seed %d: %s", seed, obj)
          .contains(
              path
                  + ": Invalid value: \"string\": "
                  + path
                  + " in body must be of type integer: \"string\"");
      checked++;
    }
    assertThat(checked).isGreaterThan(200);
  }

  private static ObjectNode pruneOnly(CustomResourceSchema schema, ObjectNode obj) {
    schema.prune(obj);
    return obj;
  }

  /** A value valid for {@code s}; objects get an unknown field when {@code extras}. */
  private static JsonNode valid(Schema s, RandomChoices random, boolean extras) {
    if (s.xIntOrString) {
      return random.nextBoolean() ? F.numberNode(random.between(1, 65535)) : F.stringNode("http");
    }
    if (s.enumValues != null) {
      return random.of(s.enumValues);
    }
    switch (s.type) {
      case "integer" -> {
        int min = s.minimum == null ? -1000 : s.minimum.intValue();
        int max = s.maximum == null ? 1000 : s.maximum.intValue();
        return F.numberNode(random.between(min, max));
      }
      case "number" -> {
        return F.numberNode(random.between(0, 100) / 100.0);
      }
      case "boolean" -> {
        return F.booleanNode(random.nextBoolean());
      }
      case "string" -> {
        return F.stringNode("s" + random.between(0, 999));
      }
      case "array" -> {
        ArrayNode a = F.arrayNode();
        int n = random.between(0, s.maxItems == null ? 3 : s.maxItems.intValue());
        for (int i = 0; i < n; i++) {
          JsonNode item = valid(s.items, random, extras);
          if ("map".equals(s.xListType)) {
            ((ObjectNode) item).put("name", "n" + i);
          }
          a.add(item);
        }
        return a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        if (s.properties != null) {
          for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
            if (s.required.contains(p.getKey()) || random.nextBoolean()) {
              o.set(p.getKey(), valid(p.getValue(), random, extras));
            }
          }
        } else if (s.additionalProperties != null) {
          for (int i = random.between(0, 3); i > 0; i--) {
            o.set("k" + i, valid(s.additionalProperties, random, extras));
          }
        }
        if (extras && random.nextBoolean() && s.additionalProperties == null) {
          o.put("unknown" + random.between(0, 9), "dropped");
        }
        return o;
      }
    }
  }

  /** kube-openapi style paths ({@code spec.rules[0].weight}) of the integer fields present. */
  private static void integerFields(Schema s, JsonNode v, String path, List<String> out) {
    if (s.type.equals("integer") && v.isIntegralNumber()) {
      out.add(path);
    } else if (v.isObject() && s.properties != null) {
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        JsonNode child = v.get(p.getKey());
        if (child != null) {
          integerFields(
              p.getValue(), child, path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out);
        }
      }
    } else if (v.isArray() && s.items != null) {
      for (int i = 0; i < v.size(); i++) {
        integerFields(s.items, v.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static void set(ObjectNode root, String path, JsonNode value) {
    JsonNode parent = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      boolean last = i == parts.length - 1;
      if (bracket < 0) {
        if (last) {
          ((ObjectNode) parent).set(name, value);
          return;
        }
        parent = parent.get(name);
      } else {
        parent = parent.get(name);
        int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        if (last) {
          ((ArrayNode) parent).set(index, value);
          return;
        }
        parent = parent.get(index);
      }
    }
  }
}
