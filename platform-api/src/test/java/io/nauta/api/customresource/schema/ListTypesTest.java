package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code x-kubernetes-list-type} set and map invariants, with upstream's Duplicate errors. */
class ListTypesTest {

  static final String SCHEMA =
      """
      type: object
      properties:
        spec:
          type: object
          properties:
            tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
            ports:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [port, protocol]
              items:
                type: object
                required: [port]
                properties:
                  port: {type: integer}
                  protocol: {type: string, default: TCP}
            containers:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  image: {type: string}
            byName:
              type: object
              additionalProperties:
                type: array
                x-kubernetes-list-type: set
                items: {type: integer}
      """;

  @Test
  void aSetRefusesEachRepeatedItemOnce() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA).validate(Yaml.object("{spec: {tags: [a, b, a, a, b]}}"), null)))
        .containsExactly(
            "spec.tags[2]: Duplicate value: \"a\"", "spec.tags[4]: Duplicate value: \"b\"");
  }

  @Test
  void aMapListRefusesItemsWithTheSameKeys() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            """
                            spec:
                              containers: [{name: a, image: x}, {name: a, image: y}]
                              ports: [{port: 80, protocol: TCP}, {port: 80, protocol: UDP}, {port: 80, protocol: TCP}]
                            """),
                        null)))
        .containsExactly(
            "spec.containers[1]: Duplicate value: {\"name\":\"a\"}",
            "spec.ports[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}");
  }

  @Test
  void setsUnderAdditionalPropertiesUseKeyPaths() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA).validate(Yaml.object("{spec: {byName: {x: [1, 1]}}}"), null)))
        .containsExactly("spec.byName[x][1]: Duplicate value: 1");
  }

  @Test
  void anUpdateKeepingAnOldViolationIsNotRefusedForIt() {
    var schema = Yaml.schema(SCHEMA);
    var old = Yaml.object("{spec: {tags: [a, a]}}");

    assertThat(schema.validate(Yaml.object("{spec: {tags: [a, a, b]}}"), old)).isEmpty();
    assertThat(messages(schema.validate(Yaml.object("{spec: {tags: [a, a]}}"), null)))
        .containsExactly("spec.tags[1]: Duplicate value: \"a\"");
  }
}
