package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAPI value validation of custom resources, with Kubernetes' exact messages. Many cases are
 * those of apiextensions-apiserver's {@code pkg/apiserver/validation/validation_test.go}.
 */
class ValueValidationTest {

  record Case(String name, String schema, String object, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case ok(String name, String schema, String object) {
    return new Case(name, schema, object, List.of());
  }

  static Case fails(String name, String schema, String object, String... expected) {
    return new Case(name, schema, object, List.of(expected));
  }

  static final String OBJECT_FIELD = "{type: object, properties: {field: {type: object}}}";
  static final String NULLABLE_OBJECT_FIELD =
      "{type: object, properties: {field: {type: object, nullable: true}}}";
  static final String INT_OR_STRING =
      "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}";
  static final String ENUMS =
      """
      type: object
      properties:
        field:
          type: object
          required: [nestedint, nestedstring]
          properties:
            nestedint: {type: integer, enum: [1, 2]}
            nestedstring: {type: string, enum: [a, b]}
      """;
  static final String NUMERIC_FORMATS =
      """
      type: object
      properties:
        intThirtyTwo: {type: integer, format: int32}
        intSixtyFour: {type: integer, format: int64}
        floatThreeTwo: {type: number, format: float}
        floatSixFour: {type: number, format: double}
      """;
  static final String REPLICAS =
      """
      type: object
      properties:
        replicas: {type: integer, minimum: 1, maximum: 10}
        exclusive: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: true}
        step: {type: integer, multipleOf: 5}
        ratio: {type: number, maximum: 1.5}
      """;
  static final String STRINGS =
      """
      type: object
      properties:
        name: {type: string, minLength: 3, maxLength: 5, pattern: '^[a-z]+$'}
        one: {type: string, maxLength: 1}
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        id: {type: string, format: uuid}
        ip: {type: string, format: ipv4}
        other: {type: string, format: no-such-format}
      """;
  static final String COLLECTIONS =
      """
      type: object
      properties:
        list: {type: array, minItems: 2, maxItems: 3, items: {type: integer}}
        single: {type: array, maxItems: 1, items: {type: string}}
        labels: {type: object, minProperties: 2, maxProperties: 3, additionalProperties: {type: string}}
        containers:
          type: array
          items:
            type: object
            required: [name]
            properties:
              name: {type: string}
      """;
  static final String JUNCTORS =
      """
      type: object
      properties:
        any: {type: string, anyOf: [{pattern: '^a'}, {pattern: '^b'}]}
        one: {type: integer, oneOf: [{minimum: 0}, {maximum: 10}]}
        all: {type: integer, allOf: [{minimum: 5}]}
        none: {type: string, not: {enum: [x]}}
      """;
  static final String NULLABLE_ENUM =
      "{type: object, properties: {mode: {type: string, nullable: true, enum: [a, b]}}}";

  static Stream<Case> cases() {
    return Stream.of(
        ok("!nullable: absent", OBJECT_FIELD, "{}"),
        ok("!nullable: object", OBJECT_FIELD, "{field: {}}"),
        fails(
            "!nullable: string",
            OBJECT_FIELD,
            "{field: foo}",
            "field: Invalid value: \"string\": field in body must be of type object: \"string\""),
        fails(
            "!nullable: integer",
            OBJECT_FIELD,
            "{field: 42}",
            "field: Invalid value: \"integer\": field in body must be of type object: \"integer\""),
        fails(
            "!nullable: boolean",
            OBJECT_FIELD,
            "{field: true}",
            "field: Invalid value: \"boolean\": field in body must be of type object: \"boolean\""),
        fails(
            "!nullable: number",
            OBJECT_FIELD,
            "{field: 1.2}",
            "field: Invalid value: \"number\": field in body must be of type object: \"number\""),
        fails(
            "!nullable: array",
            OBJECT_FIELD,
            "{field: []}",
            "field: Invalid value: \"array\": field in body must be of type object: \"array\""),
        fails(
            "!nullable: null",
            OBJECT_FIELD,
            "{field: null}",
            "field: Invalid value: \"null\": field in body must be of type object: \"null\""),
        ok("nullable: null", NULLABLE_OBJECT_FIELD, "{field: null}"),
        ok("int-or-string: int", INT_OR_STRING, "{field: 42}"),
        ok("int-or-string: string", INT_OR_STRING, "{field: foo}"),
        fails(
            "int-or-string: boolean",
            INT_OR_STRING,
            "{field: true}",
            "field: Invalid value: \"boolean\": field in body must be of type integer,string:"
                + " \"boolean\""),
        fails(
            "int-or-string: number",
            INT_OR_STRING,
            "{field: 1.2}",
            "field: Invalid value: \"number\": field in body must be of type integer,string:"
                + " \"number\""),
        fails(
            "int-or-string: null",
            INT_OR_STRING,
            "{field: null}",
            "field: Invalid value: \"null\": field in body must be of type integer,string: \"null\""),
        fails(
            "required",
            """
            type: object
            required: [field]
            properties:
              field: {type: object, required: [nested], properties: {nested: {type: string}}}
              test: {type: string}
            """,
            "{test: a}",
            "field: Required value"),
        fails(
            "nested required",
            """
            type: object
            properties:
              field: {type: object, required: [nested], properties: {nested: {type: string}}}
            """,
            "{field: {}}",
            "field.nested: Required value"),
        fails(
            "enum: missing",
            ENUMS,
            "{field: {}}",
            "field.nestedint: Required value",
            "field.nestedstring: Required value"),
        fails(
            "enum: wrong types and values",
            ENUMS,
            "{field: {nestedint: x, nestedstring: true}}",
            "field.nestedint: Invalid value: \"string\": field.nestedint in body must be of type"
                + " integer: \"string\"",
            "field.nestedint: Unsupported value: \"x\": supported values: \"1\", \"2\"",
            "field.nestedstring: Invalid value: \"boolean\": field.nestedstring in body must be of"
                + " type string: \"boolean\"",
            "field.nestedstring: Unsupported value: true: supported values: \"a\", \"b\""),
        ok("enum: allowed", ENUMS, "{field: {nestedint: 2, nestedstring: b}}"),
        fails(
            "enum: null where nullable",
            NULLABLE_ENUM,
            "{mode: null}",
            "mode: Unsupported value: null: supported values: \"a\", \"b\""),
        ok(
            "numeric formats: limits",
            NUMERIC_FORMATS,
            "{intThirtyTwo: 2147483647, intSixtyFour: -9223372036854775808, floatThreeTwo:"
                + " 3.4028234663852886e+38, floatSixFour: 1.7976931348623157e+308}"),
        fails(
            "int32 overflow",
            NUMERIC_FORMATS,
            "{intThirtyTwo: 2147483648}",
            "<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in"
                + " intThirtyTwo"),
        fails(
            "int32 underflow",
            NUMERIC_FORMATS,
            "{intThirtyTwo: -2147483649}",
            "<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in"
                + " intThirtyTwo"),
        fails(
            "int64 overflow as float",
            NUMERIC_FORMATS,
            "{intSixtyFour: 1.0145709240540253e+19}",
            "intSixtyFour: Invalid value: \"float64\": intSixtyFour in body must be of type int64:"
                + " \"float64\"",
            "<nil>: Invalid value: \"\": Checked value must be of type integer with format int64 in"
                + " intSixtyFour"),
        fails(
            "float32 overflow",
            NUMERIC_FORMATS,
            "{floatThreeTwo: 3.7431058130238175e+38}",
            "<nil>: Invalid value: \"\": Checked value must be of type number with format float in"
                + " floatThreeTwo"),
        ok("integral float for an integer", REPLICAS, "{replicas: 2.0}"),
        fails(
            "fraction for an integer",
            REPLICAS,
            "{replicas: 1.5}",
            "replicas: Invalid value: \"number\": replicas in body must be of type integer:"
                + " \"number\"",
            "<nil>: Invalid value: \"\": Checked value must be of type integer (default format) in"
                + " replicas"),
        fails(
            "maximum",
            REPLICAS,
            "{replicas: 11}",
            "replicas: Invalid value: 11: replicas in body should be less than or equal to 10"),
        fails(
            "minimum",
            REPLICAS,
            "{replicas: 0}",
            "replicas: Invalid value: 0: replicas in body should be greater than or equal to 1"),
        fails(
            "exclusive bounds",
            REPLICAS,
            "{exclusive: 0}",
            "exclusive: Invalid value: 0: exclusive in body should be greater than 0"),
        fails(
            "exclusive maximum",
            REPLICAS,
            "{exclusive: 5}",
            "exclusive: Invalid value: 5: exclusive in body should be less than 5"),
        fails(
            "multipleOf",
            REPLICAS,
            "{step: 12}",
            "step: Invalid value: 12: step in body should be a multiple of 5"),
        fails(
            "fractional maximum",
            REPLICAS,
            "{ratio: 2.25}",
            "ratio: Invalid value: 2.25: ratio in body should be less than or equal to 1.5"),
        fails(
            "maxLength", STRINGS, "{name: abcdef}", "name: Too long: may not be more than 5 bytes"),
        fails("maxLength 1", STRINGS, "{one: ab}", "one: Too long: may not be more than 1 byte"),
        fails(
            "minLength",
            STRINGS,
            "{name: ab}",
            "name: Invalid value: \"ab\": name in body should be at least 3 chars long"),
        fails(
            "pattern",
            STRINGS,
            "{name: Abc}",
            "name: Invalid value: \"Abc\": name in body should match '^[a-z]+$'"),
        ok("maxLength counts characters, not bytes", STRINGS, "{one: é}"),
        fails(
            "date-time",
            STRINGS,
            "{when: yesterday}",
            "when: Invalid value: \"yesterday\": when in body must be of type date-time:"
                + " \"yesterday\""),
        ok("date-time valid", STRINGS, "{when: '2024-02-29T23:59:59.5+01:00'}"),
        fails(
            "date",
            STRINGS,
            "{day: '2023-02-29'}",
            "day: Invalid value: \"2023-02-29\": day in body must be of type date: \"2023-02-29\""),
        fails(
            "uuid",
            STRINGS,
            "{id: not-a-uuid}",
            "id: Invalid value: \"not-a-uuid\": id in body must be of type uuid: \"not-a-uuid\""),
        ok("uuid valid", STRINGS, "{id: 6ba7b810-9dad-11d1-80b4-00c04fd430c8}"),
        fails(
            "ipv4",
            STRINGS,
            "{ip: 1.2.3.256}",
            "ip: Invalid value: \"1.2.3.256\": ip in body must be of type ipv4: \"1.2.3.256\""),
        ok("unknown formats are not checked", STRINGS, "{other: anything}"),
        fails(
            "k8s-long-name",
            "{type: object, properties: {fieldX: {type: string, format: k8s-long-name}}}",
            "{fieldX: a.-}",
            "fieldX: Invalid value: \"a.-\": fieldX in body must be of type k8s-long-name: \"a.-\""),
        fails(
            "k8s-short-name",
            "{type: object, properties: {fieldX: {type: string, format: k8s-short-name}}}",
            "{fieldX: a-}",
            "fieldX: Invalid value: \"a-\": fieldX in body must be of type k8s-short-name: \"a-\""),
        fails(
            "minItems",
            COLLECTIONS,
            "{list: [1]}",
            "list: Invalid value: 1: list in body should have at least 2 items"),
        fails(
            "maxItems",
            COLLECTIONS,
            "{list: [1, 2, 3, 4]}",
            "list: Too many: 4: must have at most 3 items"),
        fails(
            "maxItems 1",
            COLLECTIONS,
            "{single: [a, b]}",
            "single: Too many: 2: must have at most 1 item"),
        fails(
            "item type",
            COLLECTIONS,
            "{list: [1, a]}",
            "list[1]: Invalid value: \"string\": list[1] in body must be of type integer: \"string\""),
        fails(
            "maxProperties",
            COLLECTIONS,
            "{labels: {a: x, b: x, c: x, d: x}}",
            "labels: Too many: 4: must have at most 3 items"),
        fails(
            "minProperties",
            COLLECTIONS,
            "{labels: {a: x}}",
            "labels: Invalid value: 1: labels in body should have at least 2 properties"),
        fails(
            "additionalProperties",
            COLLECTIONS,
            "{labels: {a: x, b: 1}}",
            "labels.b: Invalid value: \"integer\": labels.b in body must be of type string:"
                + " \"integer\""),
        fails(
            "required in items",
            COLLECTIONS,
            "{containers: [{name: a}, {}]}",
            "containers[1].name: Required value"),
        fails(
            "anyOf",
            JUNCTORS,
            "{any: c}",
            "<nil>: Invalid value: \"\": \"any\" must validate at least one schema (anyOf)",
            "any: Invalid value: \"c\": any in body should match '^a'"),
        ok("anyOf second", JUNCTORS, "{any: b}"),
        fails(
            "oneOf",
            JUNCTORS,
            "{one: 5}",
            "<nil>: Invalid value: \"\": \"one\" must validate one and only one schema (oneOf)."
                + " Found 2 valid alternatives"),
        ok("oneOf one", JUNCTORS, "{one: 11}"),
        fails(
            "allOf",
            JUNCTORS,
            "{all: 3}",
            "all: Invalid value: 3: all in body should be greater than or equal to 5",
            "<nil>: Invalid value: \"\": \"all\" must validate all the schemas (allOf). None"
                + " validated"),
        fails(
            "not",
            JUNCTORS,
            "{none: x}",
            "<nil>: Invalid value: \"\": \"none\" must not validate the schema (not)"));
  }

  static final String INT_OR_STRING_ANY_OF =
      """
      type: object
      properties:
        field:
          nullable: true
          x-kubernetes-int-or-string: true
          anyOf: [{type: integer}, {type: string}]
      """;
  static final String INT_OR_STRING_ALL_OF =
      """
      type: object
      properties:
        field:
          nullable: true
          x-kubernetes-int-or-string: true
          allOf: [{anyOf: [{type: integer}, {type: string}]}]
      """;

  /** Upstream compares these as sets: the order of the composite errors is not part of them. */
  static Stream<Case> upstreamUnordered() {
    String anyOf =
        "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)";
    String allOf =
        "<nil>: Invalid value: \"\": \"field\" must validate all the schemas (allOf). None validated";
    String checked =
        "<nil>: Invalid value: \"\": Checked value must be of type integer (default format) in field";
    return Stream.of(
        ok("int-or-string anyOf: absent", INT_OR_STRING_ANY_OF, "{}"),
        ok("int-or-string anyOf: null", INT_OR_STRING_ANY_OF, "{field: null}"),
        ok("int-or-string anyOf: 42", INT_OR_STRING_ANY_OF, "{field: 42}"),
        ok("int-or-string anyOf: foo", INT_OR_STRING_ANY_OF, "{field: foo}"),
        fails(
            "int-or-string anyOf: boolean",
            INT_OR_STRING_ANY_OF,
            "{field: true}",
            anyOf,
            typeError("boolean", "integer,string"),
            typeError("boolean", "integer")),
        fails(
            "int-or-string anyOf: number",
            INT_OR_STRING_ANY_OF,
            "{field: 1.2}",
            anyOf,
            typeError("number", "integer,string"),
            typeError("number", "integer"),
            checked),
        fails(
            "int-or-string anyOf: object",
            INT_OR_STRING_ANY_OF,
            "{field: {}}",
            anyOf,
            typeError("object", "integer,string"),
            typeError("object", "integer")),
        fails(
            "int-or-string anyOf: array",
            INT_OR_STRING_ANY_OF,
            "{field: []}",
            anyOf,
            typeError("array", "integer,string"),
            typeError("array", "integer")),
        ok("int-or-string allOf: 42", INT_OR_STRING_ALL_OF, "{field: 42}"),
        fails(
            "int-or-string allOf: boolean",
            INT_OR_STRING_ALL_OF,
            "{field: true}",
            allOf,
            anyOf,
            typeError("boolean", "integer,string"),
            typeError("boolean", "integer")),
        fails(
            "int-or-string allOf: number",
            INT_OR_STRING_ALL_OF,
            "{field: 1.2}",
            allOf,
            anyOf,
            typeError("number", "integer,string"),
            typeError("number", "integer"),
            checked));
  }

  static String typeError(String actual, String expected) {
    return "field: Invalid value: \""
        + actual
        + "\": field in body must be of type "
        + expected
        + ": \""
        + actual
        + "\"";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamUnordered")
  void validatesLikeUpstreamsTable(Case c) {
    CustomResourceSchema schema = Yaml.schema(c.schema);

    assertThat(messages(schema.validate(Yaml.object(c.object), null)))
        .containsExactlyInAnyOrderElementsOf(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesWithKubernetesMessages(Case c) {
    CustomResourceSchema schema = Yaml.schema(c.schema);

    assertThat(messages(schema.validate(Yaml.object(c.object), null)))
        .containsExactlyElementsOf(c.expected);
  }
}
