package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code x-kubernetes-validations}: rules on objects, scalars, list items and map values;
 * transition rules; message, messageExpression, reason and fieldPath; the Kubernetes list and regex
 * functions.
 */
class CelRulesTest {

  static final String SCHEMA =
      """
      type: object
      x-kubernetes-validations:
        - rule: "self.metadata.name.startsWith('w-')"
          message: name must start with w-
      properties:
        metadata: {type: object}
        spec:
          type: object
          x-kubernetes-validations:
            - rule: "self.minReplicas <= self.maxReplicas"
              message: minReplicas cannot be larger than maxReplicas
            - rule: "!has(self.mode) || self.mode != 'legacy'"
              reason: FieldValueForbidden
              fieldPath: .mode
              message: legacy mode is gone
            - rule: "self.maxReplicas < 100"
              messageExpression: "'maxReplicas is ' + string(self.maxReplicas) + ', at most 99'"
          properties:
            minReplicas: {type: integer}
            maxReplicas: {type: integer}
            mode: {type: string}
            image:
              type: string
              x-kubernetes-validations:
                - rule: "self == oldSelf"
                  message: image is immutable
            size:
              x-kubernetes-int-or-string: true
              x-kubernetes-validations:
                - rule: "type(self) == int ? self > 0 : self.matches('^[0-9]+Gi$')"
            scores:
              type: array
              items: {type: integer}
              x-kubernetes-validations:
                - rule: "self.isSorted() && self.sum() < 100 && self.indexOf(7) == -1"
            hosts:
              type: array
              items:
                type: string
                x-kubernetes-validations:
                  - rule: "self.find('[A-Z]') == ''"
                    message: lower case only
            env:
              type: object
              additionalProperties:
                type: string
                x-kubernetes-validations:
                  - rule: "self.size() <= 5"
            workers:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  weight:
                    type: integer
                    x-kubernetes-validations:
                      - rule: "self >= oldSelf"
                        message: weight may only grow
            window:
              type: integer
              x-kubernetes-validations:
                - rule: "!oldSelf.hasValue() || self >= oldSelf.value()"
                  optionalOldSelf: true
                  message: window may only grow
      """;

  static final String VALID = "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3}}";

  @Test
  void aValidObjectPasses() {
    assertThat(Yaml.schema(SCHEMA).validate(Yaml.object(VALID), null)).isEmpty();
  }

  @Test
  void ruleOnAnObjectReportsItsSchemaTypeAsTheValue() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{metadata: {name: w-1}, spec: {minReplicas: 5, maxReplicas: 3}}"),
                        null)))
        .containsExactly(
            "spec: Invalid value: \"object\": minReplicas cannot be larger than maxReplicas");
  }

  @Test
  void ruleAtTheRootSeesMetadataNameAndReportsNil() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{metadata: {name: x}, spec: {minReplicas: 1, maxReplicas: 3}}"),
                        null)))
        .containsExactly("<nil>: Invalid value: \"object\": name must start with w-");
  }

  @Test
  void reasonAndFieldPathShapeTheError() {
    assertThat(
            Yaml.schema(SCHEMA)
                .validate(
                    Yaml.object(
                        "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, mode: legacy}}"),
                    null))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("spec.mode: Forbidden: legacy mode is gone");
              assertThat(e.type()).isEqualTo(io.nauta.core.errors.FieldError.Type.FORBIDDEN);
            });
  }

  @Test
  void messageExpressionBuildsTheMessage() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 150}}"),
                        null)))
        .containsExactly("spec: Invalid value: \"object\": maxReplicas is 150, at most 99");
  }

  @Test
  void aMissingFieldIsAnEvaluationError() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object("{metadata: {name: w-1}, spec: {minReplicas: 1}}"), null)))
        .containsExactly(
            "spec: Invalid value: \"object\": no such key: maxReplicas evaluating rule:"
                + " minReplicas cannot be larger than maxReplicas",
            "spec: Invalid value: \"object\": no such key: maxReplicas evaluating rule:"
                + " self.maxReplicas < 100");
  }

  @Test
  void transitionRulesRunOnlyOnUpdate() {
    var schema = Yaml.schema(SCHEMA);
    var created =
        Yaml.object("{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, image: a}}");
    var changed =
        Yaml.object("{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, image: b}}");

    assertThat(schema.validate(changed, null)).isEmpty();
    assertThat(schema.validate(created, created)).isEmpty();
    assertThat(messages(schema.validate(changed, created)))
        .containsExactly("spec.image: Invalid value: \"string\": image is immutable");
  }

  @Test
  void transitionRulesOnMapListItemsCorrelateByKey() {
    var schema = Yaml.schema(SCHEMA);
    var old =
        Yaml.object(
            "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, workers: [{name: a, weight: 5}, {name: b, weight: 5}]}}");
    var updated =
        Yaml.object(
            "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, workers: [{name: c, weight: 1}, {name: b, weight: 4}, {name: a, weight: 6}]}}");

    assertThat(messages(schema.validate(updated, old)))
        .containsExactly(
            "spec.workers[1].weight: Invalid value: \"integer\": weight may only grow");
  }

  @Test
  void optionalOldSelfRunsOnCreateToo() {
    var schema = Yaml.schema(SCHEMA);
    var old =
        Yaml.object("{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, window: 5}}");
    var smaller =
        Yaml.object("{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, window: 4}}");

    assertThat(schema.validate(smaller, null)).isEmpty();
    assertThat(messages(schema.validate(smaller, old)))
        .containsExactly("spec.window: Invalid value: \"integer\": window may only grow");
  }

  @Test
  void intOrStringRulesSeeAnIntOrAString() {
    var schema = Yaml.schema(SCHEMA);

    assertThat(
            schema.validate(
                Yaml.object(
                    "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, size: 3}}"),
                null))
        .isEmpty();
    assertThat(
            schema.validate(
                Yaml.object(
                    "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, size: 10Gi}}"),
                null))
        .isEmpty();
    assertThat(
            messages(
                schema.validate(
                    Yaml.object(
                        "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, size: 10Mi}}"),
                    null)))
        .containsExactly(
            "spec.size: Invalid value: \"\": failed rule: type(self) == int ? self > 0 :"
                + " self.matches('^[0-9]+Gi$')");
  }

  @Test
  void kubernetesListAndRegexFunctions() {
    var schema = Yaml.schema(SCHEMA);
    String base = "metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, ";

    assertThat(
            schema.validate(
                Yaml.object("{" + base + "scores: [1, 2, 3], hosts: [a.example]}}"), null))
        .isEmpty();
    assertThat(messages(schema.validate(Yaml.object("{" + base + "scores: [3, 1]}}"), null)))
        .containsExactly(
            "spec.scores: Invalid value: \"array\": failed rule: self.isSorted() && self.sum() < 100 &&"
                + " self.indexOf(7) == -1");
    assertThat(messages(schema.validate(Yaml.object("{" + base + "scores: [1, 7]}}"), null)))
        .hasSize(1);
    assertThat(messages(schema.validate(Yaml.object("{" + base + "hosts: [ok, Bad]}}"), null)))
        .containsExactly("spec.hosts[1]: Invalid value: \"string\": lower case only");
  }

  @Test
  void rulesOnMapValuesUseKeyPaths() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{metadata: {name: w-1}, spec: {minReplicas: 1, maxReplicas: 3, env: {A: short, B: toolong}}}"),
                        null)))
        .containsExactly("spec.env[B]: Invalid value: \"string\": failed rule: self.size() <= 5");
  }

  @Test
  void rulesAreNotRunWhenTheObjectHasBlockingErrors() {
    assertThat(
            messages(
                Yaml.schema(SCHEMA)
                    .validate(
                        Yaml.object(
                            "{metadata: {name: x}, spec: {minReplicas: a, maxReplicas: 3}}"),
                        null)))
        .containsExactly(
            "spec.minReplicas: Invalid value: \"string\": spec.minReplicas in body must be of type"
                + " integer: \"string\"",
            "<nil>: Invalid value: null: some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation");
  }
}
