package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Objects embedded with {@code x-kubernetes-embedded-resource}: type meta and metadata checks. */
class EmbeddedResourcesTest {

  static final String SCHEMA =
      """
      type: object
      properties:
        spec:
          type: object
          properties:
            template:
              type: object
              x-kubernetes-embedded-resource: true
              x-kubernetes-preserve-unknown-fields: true
      """;

  @Test
  void aWellFormedEmbeddedObjectPasses() {
    assertThat(
            Yaml.schema(SCHEMA)
                .validate(
                    Yaml.object(
                        "{spec: {template: {apiVersion: apps/v1, kind: Deployment, metadata: {name:"
                            + " d}, spec: {replicas: 1}}}}"),
                    null))
        .isEmpty();
  }

  @Test
  void apiVersionAndKindAreRequired() {
    assertThat(messages(Yaml.schema(SCHEMA).validate(Yaml.object("{spec: {template: {}}}"), null)))
        .containsExactly(
            "spec.template.apiVersion: Required value", "spec.template.kind: Required value");
  }

  @Test
  void badTypeMetaAndNamesAreRefused() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{spec: {template: {apiVersion: a/b/c, kind: Not_A_Kind, metadata: {name:"
                                + " a/b}}}}"),
                        null)))
        .containsExactly(
            "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string:"
                + " a/b/c",
            "spec.template.kind: Invalid value: \"Not_A_Kind\": may have mixed case, but should"
                + " otherwise match: a DNS-1035 label must consist of lower case alphanumeric"
                + " characters or '-', start with an alphabetic character, and end with an"
                + " alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for"
                + " validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'");
  }
}
