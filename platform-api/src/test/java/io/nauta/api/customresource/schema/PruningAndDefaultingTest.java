package io.nauta.api.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Pruning and defaulting as apiextensions' decoder does them, before validation. */
class PruningAndDefaultingTest {

  static final String SCHEMA =
      """
      type: object
      properties:
        spec:
          type: object
          properties:
            replicas: {type: integer, default: 1}
            mode: {type: string, default: fast}
            labels: {type: object, additionalProperties: {type: string, default: x}}
            ports:
              type: array
              items:
                type: object
                properties:
                  port: {type: integer}
                  protocol: {type: string, default: TCP}
            template:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                known: {type: object, properties: {a: {type: string}}}
            pod:
              type: object
              x-kubernetes-embedded-resource: true
              properties:
                spec: {type: object, properties: {image: {type: string}}}
            nullableName: {type: string, nullable: true}
            plainName: {type: string}
        status:
          type: object
          default: {}
          properties:
            phase: {type: string, default: Pending}
      """;

  @Test
  void prunesUnknownFieldsButKeepsTypeMetaAndMetadata() {
    ObjectNode obj =
        Yaml.object(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, labels: {a: b}}
            extra: dropped
            spec: {replicas: 2, unknown: dropped, ports: [{port: 80, bogus: 1}]}
            """);

    Yaml.schema(SCHEMA).prune(obj);

    assertThat(obj)
        .isEqualTo(
            Yaml.object(
                """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w, labels: {a: b}}
                spec: {replicas: 2, ports: [{port: 80}]}
                """));
  }

  @Test
  void preserveUnknownFieldsKeepsUnknownFieldsButPrunesSpecifiedOnes() {
    ObjectNode obj =
        Yaml.object("{spec: {template: {anything: {goes: 1}, known: {a: x, b: dropped}}}}");

    Yaml.schema(SCHEMA).prune(obj);

    assertThat(obj)
        .isEqualTo(Yaml.object("{spec: {template: {anything: {goes: 1}, known: {a: x}}}}"));
  }

  @Test
  void embeddedResourcesKeepTheirTypeMetaAndMetadata() {
    ObjectNode obj =
        Yaml.object(
            """
            spec:
              pod:
                apiVersion: v1
                kind: Pod
                metadata: {name: p, anything: kept}
                spec: {image: nginx, unknown: dropped}
                status: dropped
            """);

    Yaml.schema(SCHEMA).prune(obj);

    assertThat(obj)
        .isEqualTo(
            Yaml.object(
                """
                spec:
                  pod:
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: p, anything: kept}
                    spec: {image: nginx}
                """));
  }

  @Test
  void defaultsAbsentFieldsAlsoInItemsAndAdditionalProperties() {
    ObjectNode obj =
        Yaml.object(
            "{spec: {mode: slow, ports: [{port: 80}, {port: 53, protocol: UDP}], labels: {a: null}}}");

    Yaml.schema(SCHEMA).applyDefaults(obj);

    assertThat(obj)
        .isEqualTo(
            Yaml.object(
                """
                spec:
                  replicas: 1
                  mode: slow
                  ports: [{port: 80, protocol: TCP}, {port: 53, protocol: UDP}]
                  labels: {a: x}
                status: {phase: Pending}
                """));
  }

  @Test
  void aNullThatIsNotNullableGetsTheDefaultOrIsDropped() {
    ObjectNode obj = Yaml.object("{spec: {replicas: null, plainName: null, nullableName: null}}");

    Yaml.schema(SCHEMA).applyDefaults(obj);

    assertThat(obj)
        .isEqualTo(
            Yaml.object(
                "{spec: {replicas: 1, mode: fast, nullableName: null}, status: {phase: Pending}}"));
  }

  @Test
  void defaultsAreCopiesNotShared() {
    CustomResourceSchema schema = Yaml.schema(SCHEMA);
    ObjectNode first = Yaml.object("{}");
    ObjectNode second = Yaml.object("{}");
    schema.applyDefaults(first);
    schema.applyDefaults(second);

    ((ObjectNode) first.get("status")).put("phase", "Running");

    assertThat(second.get("status").get("phase").asString()).isEqualTo("Pending");
  }

  @Test
  void pruneThenDefaultThenValidateLeavesAValidObject() {
    CustomResourceSchema schema = Yaml.schema(SCHEMA);
    ObjectNode obj = Yaml.object("{spec: {unknown: 1, ports: [{port: 1}]}}");

    schema.prune(obj);
    schema.applyDefaults(obj);

    assertThat(schema.validate(obj, null)).isEmpty();
  }
}
