package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.object;
import static io.nauta.api.customresource.schema.Yaml.schema;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write through the status subresource is validated as upstream's status strategy does: the
 * status against the status schema, list types and CEL rules over the object, with rules on what
 * did not change skipped (upstream's ratcheting), so a stored spec that the schema no longer
 * accepts does not block status writes.
 */
class StatusValidationTest {

  static final CustomResourceSchema SCHEMA =
      schema(
          """
          type: object
          x-kubernetes-validations:
            - rule: "!has(self.status) || !has(self.status.replicas) || self.status.replicas <= 10"
              message: at most 10 replicas report
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: "self.replicas <= 5"
                  message: at most 5 replicas
              properties:
                replicas: {type: integer, maximum: 3}
                engine: {type: string, enum: [postgres, mysql]}
            status:
              type: object
              properties:
                replicas: {type: integer, minimum: 0}
                phase:
                  type: string
                  x-kubernetes-validations:
                    - rule: "self != 'Broken'"
                      message: not broken
          """);

  /** Stored before the schema tightened: every spec rule fails it now. */
  static ObjectNode stored() {
    return object(
        """
        apiVersion: stable.example.com/v1
        kind: Database
        metadata: {name: orders}
        spec: {replicas: 7, engine: maria}
        status: {replicas: 1}
        """);
  }

  static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  @Test
  void theMainResourceIsValidatedWhole() {
    assertThat(messages(SCHEMA.validate(stored(), stored())))
        .contains(
            "spec.replicas: Invalid value: 7: spec.replicas in body should be less than or equal"
                + " to 3",
            "spec.engine: Unsupported value: \"maria\": supported values: \"postgres\","
                + " \"mysql\"");
  }

  @Test
  void aStatusWriteIgnoresTheSpecTheSchemaNoLongerAccepts() {
    ObjectNode updated = stored();
    ((ObjectNode) updated.get("status")).put("replicas", 2).put("phase", "Running");
    assertThat(SCHEMA.validateStatus(updated, stored())).isEmpty();
  }

  @Test
  void aStatusWriteIsValidatedAgainstTheStatusSchemaAndRules() {
    ObjectNode updated = stored();
    ((ObjectNode) updated.get("status")).put("replicas", -1);
    assertThat(messages(SCHEMA.validateStatus(updated, stored())))
        .containsExactly(
            // upstream validates the status with a validator rooted at the status schema
            "status.replicas: Invalid value: -1: replicas in body should be greater than or equal"
                + " to 0");

    ((ObjectNode) updated.get("status")).put("replicas", 11).put("phase", "Broken");
    // (the rules' exact wording is CelRulesTest's business)
    List<String> messages = messages(SCHEMA.validateStatus(updated, stored()));
    assertThat(messages).hasSize(2);
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("at most 10 replicas report"));
    assertThat(messages)
        .anySatisfy(m -> assertThat(m).startsWith("status.phase: ").endsWith("not broken"));
  }
}
