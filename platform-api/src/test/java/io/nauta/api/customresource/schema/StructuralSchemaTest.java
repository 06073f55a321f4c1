package io.nauta.api.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A CRD schema is refused unless it is structural, with apiextensions' messages and field paths
 * under the path the caller gives ({@code spec.versions[0].schema.openAPIV3Schema}).
 */
class StructuralSchemaTest {
  static final String P = "spec.versions[0].schema.openAPIV3Schema";

  record Case(String name, String schema, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case refused(String name, String schema, String... expected) {
    return new Case(name, schema, List.of(expected));
  }

  static Stream<Case> cases() {
    return Stream.of(
        refused(
            "field without type",
            "{type: object, properties: {spec: {properties: {x: {type: string}}}}}",
            P
                + ".properties[spec].type: Required value: must not be empty for specified object"
                + " fields"),
        refused(
            "root without type",
            "{properties: {spec: {type: object}}}",
            P + ".type: Required value: must not be empty at the root"),
        refused(
            "root not an object",
            "{type: string}",
            P + ".type: Invalid value: \"string\": must be object at the root"),
        refused(
            "array without items",
            "{type: object, properties: {list: {type: array}}}",
            P + ".properties[list].items: Required value: must be specified"),
        refused(
            "items without type",
            "{type: object, properties: {list: {type: array, items: {minLength: 1}}}}",
            P
                + ".properties[list].items.type: Required value: must not be empty for specified array"
                + " items"),
        refused(
            "additionalProperties at the root",
            "{type: object, additionalProperties: {type: string}}",
            P + ".additionalProperties: Forbidden: must not be used at the root"),
        refused(
            "type inside anyOf",
            "{type: object, properties: {a: {type: string, anyOf: [{type: string}]}}}",
            P + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural"),
        refused(
            "description and default inside allOf",
            "{type: object, properties: {a: {type: string, allOf: [{description: d, default: x}]}}}",
            P + ".properties[a].allOf[0].default: Forbidden: must be undefined to be structural",
            P + ".properties[a].allOf[0].description: Forbidden: must be empty to be structural"),
        refused(
            "field only in allOf",
            "{type: object, allOf: [{properties: {foo: {minLength: 1}}}]}",
            P
                + ".properties[foo]: Required value: because it is defined in "
                + P
                + ".allOf[0].properties[foo]"),
        refused(
            "metadata beyond name",
            "{type: object, properties: {metadata: {type: object, properties: {labels: {type:"
                + " object}}}}}",
            P
                + ".properties[metadata]: Forbidden: must not specify anything other than name and"
                + " generateName, but metadata is implicitly specified"),
        refused(
            "kind not a string",
            "{type: object, properties: {kind: {type: integer}}}",
            P + ".properties[kind].type: Invalid value: \"integer\": must be string"),
        refused(
            "embedded resource without type",
            "{type: object, properties: {e: {x-kubernetes-embedded-resource: true,"
                + " x-kubernetes-preserve-unknown-fields: true}}}",
            P
                + ".properties[e].type: Required value: must be object if"
                + " x-kubernetes-embedded-resource is true"),
        refused(
            "embedded resource without properties",
            "{type: object, properties: {e: {type: object, x-kubernetes-embedded-resource: true}}}",
            P
                + ".properties[e].properties: Required value: must not be empty if"
                + " x-kubernetes-embedded-resource is true without"
                + " x-kubernetes-preserve-unknown-fields"),
        refused(
            "int-or-string and preserve-unknown-fields",
            "{type: object, properties: {f: {x-kubernetes-int-or-string: true,"
                + " x-kubernetes-preserve-unknown-fields: true}}}",
            P
                + ".properties[f].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be"
                + " false if x-kubernetes-int-or-string is true"),
        refused(
            "nullable root",
            "{type: object, nullable: true}",
            P + ".nullable: Forbidden: nullable cannot be true at the root"),
        refused(
            "uniqueItems",
            "{type: object, properties: {l: {type: array, uniqueItems: true, items: {type:"
                + " string}}}}",
            P
                + ".properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the"
                + " runtime complexity becomes quadratic"),
        refused(
            "$ref",
            "{type: object, properties: {r: {$ref: '#/definitions/x'}}}",
            P + ".properties[r].$ref: Forbidden: $ref is not supported"),
        refused(
            "additionalProperties with properties",
            "{type: object, properties: {m: {type: object, properties: {a: {type: string}},"
                + " additionalProperties: {type: string}}}}",
            P
                + ".properties[m].additionalProperties: Forbidden: additionalProperties and properties"
                + " are mutual exclusive"),
        refused(
            "unknown type",
            "{type: object, properties: {t: {type: text}}}",
            P
                + ".properties[t].type: Unsupported value: \"text\": supported values: \"array\","
                + " \"boolean\", \"integer\", \"number\", \"object\", \"string\""),
        refused(
            "list-type map without keys",
            "{type: object, properties: {l: {type: array, x-kubernetes-list-type: map, items: {type:"
                + " object, properties: {name: {type: string}}}}}}",
            P
                + ".properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if"
                + " x-kubernetes-list-type is map"),
        refused(
            "unknown list-type",
            "{type: object, properties: {l: {type: array, x-kubernetes-list-type: bag, items: {type:"
                + " string}}}}",
            P
                + ".properties[l].x-kubernetes-list-type: Unsupported value: \"bag\": supported"
                + " values: \"atomic\", \"set\", \"map\""),
        refused(
            "map keys not item properties",
            "{type: object, properties: {l: {type: array, x-kubernetes-list-type: map,"
                + " x-kubernetes-list-map-keys: [nope], items: {type: object, properties: {name:"
                + " {type: string}}}}}}",
            P
                + ".properties[l].x-kubernetes-list-map-keys: Invalid value: [\"nope\"]: entries must"
                + " all be names of item properties"),
        refused(
            "map key neither required nor defaulted",
            "{type: object, properties: {l: {type: array, x-kubernetes-list-type: map,"
                + " x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name:"
                + " {type: string}}}}}}",
            P
                + ".properties[l].items.properties[name].default: Required value: this property is in"
                + " x-kubernetes-list-map-keys, so it must have a default or be a required"
                + " property"),
        refused(
            "default in top-level metadata",
            "{type: object, properties: {metadata: {type: object, default: {}}}}",
            P + ".properties[metadata].default: Forbidden: must not be set in top-level metadata"),
        refused(
            "default with unknown fields",
            "{type: object, properties: {spec: {type: object, properties: {a: {type: string}},"
                + " default: {a: x, b: y}}}}",
            P
                + ".properties[spec].default: Invalid value: {\"a\":\"x\",\"b\":\"y\"}: must not have"
                + " unknown fields"),
        refused(
            "default that does not validate",
            "{type: object, properties: {replicas: {type: integer, minimum: 1, default: 0}}}",
            P
                + ".properties[replicas].default: Invalid value: 0:  in body should be greater than or"
                + " equal to 1"),
        refused(
            "embedded default without apiVersion",
            "{type: object, properties: {t: {type: object, x-kubernetes-embedded-resource: true,"
                + " x-kubernetes-preserve-unknown-fields: true, default: {kind: Pod}}}}",
            P + ".properties[t].default.apiVersion: Required value"),
        refused(
            "default that breaks a rule",
            "{type: object, properties: {spec: {type: object, default: {a: 1},"
                + " x-kubernetes-validations: [{rule: 'self.a > 1', message: too small}],"
                + " properties: {a: {type: integer}}}}}",
            P + ".properties[spec].default: Invalid value: \"object\": too small"),
        refused(
            "rule that is not a bool",
            "{type: object, x-kubernetes-validations: [{rule: '1 + 1'}]}",
            P
                + ".x-kubernetes-validations[0].rule: Invalid value: {\"Rule\":\"1 +"
                + " 1\",\"Message\":\"\",\"MessageExpression\":\"\",\"Reason\":null,\"FieldPath\":\"\",\"OptionalOldSelf\":null}:"
                + " cel expression must evaluate to a bool"),
        refused(
            "oldSelf under the items of an atomic list",
            "{type: object, properties: {l: {type: array, items: {type: string,"
                + " x-kubernetes-validations: [{rule: 'self == oldSelf'}]}}}}",
            P
                + ".properties[l].items.x-kubernetes-validations[0].rule: Invalid value: \"self =="
                + " oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the schema"
                + " within "
                + P
                + ".properties[l]"),
        refused(
            "unknown reason",
            "{type: object, x-kubernetes-validations: [{rule: 'true', reason: Bad}]}",
            P
                + ".x-kubernetes-validations[0].reason: Unsupported value: \"Bad\": supported values:"
                + " \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\","
                + " \"FieldValueRequired\""),
        refused(
            "fieldPath not in the schema",
            "{type: object, x-kubernetes-validations: [{rule: 'true', fieldPath: .nope}],"
                + " properties: {a: {type: string}}}",
            P
                + ".x-kubernetes-validations[0].fieldPath: Invalid value: \".nope\": must be a valid"
                + " path"),
        refused(
            "optionalOldSelf without oldSelf",
            "{type: object, x-kubernetes-validations: [{rule: 'true', optionalOldSelf: true}]}",
            P
                + ".x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set"
                + " if oldSelf is not used in rule"),
        refused(
            "rule with a line break and no message",
            "{type: object, x-kubernetes-validations: [{rule: \"true &&\\ntrue\"}]}",
            P
                + ".x-kubernetes-validations[0].message: Required value: message must be specified if"
                + " rule contains line breaks"),
        refused(
            "nested x-kubernetes-validations",
            "{type: object, properties: {a: {type: string, allOf: [{x-kubernetes-validations:"
                + " [{rule: 'true'}]}]}}}",
            P
                + ".properties[a].allOf[0].x-kubernetes-validations: Forbidden: must be empty to be"
                + " structural"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesWithKubernetesMessages(Case c) {
    assertThat(Yaml.compileErrors(c.schema)).containsExactlyElementsOf(c.expected);
  }

  @Test
  void aRuleThatDoesNotParseIsACompileErrorOfTheCrd() {
    List<String> errors =
        Yaml.compileErrors("{type: object, x-kubernetes-validations: [{rule: 'self.a >'}]}");

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0))
        .startsWith(
            P
                + ".x-kubernetes-validations[0].rule: Invalid value: {\"Rule\":\"self.a"
                + " \\u003e\",\"Message\":\"\",\"MessageExpression\":\"\",\"Reason\":null,"
                + "\"FieldPath\":\"\",\"OptionalOldSelf\":null}: compilation failed: ERROR: <input>:1:");
  }

  @Test
  void anUndeclaredNameIsACompileError() {
    assertThat(Yaml.compileErrors("{type: object, x-kubernetes-validations: [{rule: 'foo == 1'}]}"))
        .singleElement()
        .asString()
        .contains("compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo'");
  }

  @Test
  void anInvalidPatternIsRefusedWithGosMessage() {
    assertThat(
            Yaml.compileErrors("{type: object, properties: {p: {type: string, pattern: '[a-z'}}}"))
        .containsExactly(
            P
                + ".properties[p].pattern: Invalid value: \"[a-z\": must be a valid regular"
                + " expression, but isn't: error parsing regexp: missing closing ]: `[a-z`");
  }

  @Test
  void acceptsStructuralSchemasOfRealCrds() {
    // Adapted from cert-manager's Certificate and the Prometheus operator's ServiceMonitor.
    Yaml.schema(
        """
        type: object
        required: [spec]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            required: [secretName, issuerRef]
            properties:
              secretName: {type: string}
              commonName: {type: string}
              dnsNames: {type: array, items: {type: string}}
              duration: {type: string}
              isCA: {type: boolean}
              issuerRef:
                type: object
                required: [name]
                properties:
                  group: {type: string}
                  kind: {type: string}
                  name: {type: string}
              privateKey:
                type: object
                properties:
                  algorithm: {type: string, enum: [RSA, ECDSA, Ed25519]}
                  size: {type: integer}
                  rotationPolicy: {type: string, enum: [Never, Always]}
              usages:
                type: array
                items:
                  type: string
                  enum: [signing, digital signature, server auth, client auth]
              revisionHistoryLimit: {type: integer, format: int32}
            x-kubernetes-validations:
              - rule: "!has(self.privateKey) || !has(self.privateKey.size) || self.privateKey.size > 0"
                message: size must be positive
          status:
            type: object
            properties:
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [status, type]
                  properties:
                    lastTransitionTime: {type: string, format: date-time}
                    message: {type: string}
                    observedGeneration: {type: integer, format: int64}
                    reason: {type: string}
                    status: {type: string, enum: ["True", "False", Unknown]}
                    type: {type: string}
              notAfter: {type: string, format: date-time}
        """);
    Yaml.schema(
        """
        type: object
        properties:
          spec:
            type: object
            required: [endpoints, selector]
            properties:
              endpoints:
                type: array
                items:
                  type: object
                  properties:
                    port: {type: string}
                    targetPort: {anyOf: [{type: integer}, {type: string}], x-kubernetes-int-or-string: true}
                    interval: {type: string, pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'}
                    relabelings:
                      type: array
                      items:
                        type: object
                        properties:
                          action: {type: string, default: replace, enum: [replace, Replace, keep, Keep, drop, Drop]}
                          regex: {type: string}
                          sourceLabels: {type: array, items: {type: string, pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$'}}
              selector:
                type: object
                properties:
                  matchLabels: {type: object, additionalProperties: {type: string}}
                x-kubernetes-map-type: atomic
              sampleLimit: {type: integer, format: int64}
        required: [spec]
        """);
  }
}
