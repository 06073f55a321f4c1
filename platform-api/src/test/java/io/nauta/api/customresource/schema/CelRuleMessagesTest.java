package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Yaml.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The error a failed {@code x-kubernetes-validations} rule gives, character for character as
 * apiextensions-apiserver's {@code schema/cel/validation.go} builds it: {@code
 * fieldErrorForReason(fldPath.Child(NormalizedRuleFieldPath), sts.Type, detail, rule.Reason)},
 * where the bad value is the schema's type and {@code detail} is the messageExpression's result or
 * {@code ruleMessageOrDefault(rule)}, printed by apimachinery's {@code field.Error}. The strings in
 * quotes below are upstream's (its tests and format strings).
 */
class CelRuleMessagesTest {

  /** A rule under a property whose name CEL cannot escape, from upstream's validation_test.go. */
  @Test
  void aFailedRuleOnAnObjectReportsTheTypeObjectAndTheRule() {
    // upstream: {name: "invalid rule under escaped field name", ...
    //   errors: []string{"Invalid value: \"object\": failed rule: self.m == 2"}}
    String upstream = "Invalid value: \"object\": failed rule: self.m == 2";
    var schema =
        Yaml.schema(
            """
            type: object
            properties:
              f/2:
                type: object
                properties:
                  m: {type: integer}
                x-kubernetes-validations:
                  - rule: self.m == 2
            """);
    assertThat(messages(schema.validate(Yaml.object("{f/2: {m: 1}}"), null)))
        .containsExactly("f/2: " + upstream);
  }

  static final String SCHEMA =
      """
      type: object
      x-kubernetes-validations:
        - rule: "!has(self.spec) || !has(self.spec.port) || self.spec.port != 1"
          fieldPath: .spec.port
          message: port 1 is reserved
      properties:
        spec:
          type: object
          properties:
            port: {type: integer}
            host: {type: string}
            labels:
              type: object
              additionalProperties: {type: string}
            replicas:
              type: integer
              x-kubernetes-validations:
                - rule: self < 10
            size:
              x-kubernetes-int-or-string: true
              x-kubernetes-validations:
                - rule: "type(self) == int"
                  message: "  \\u00a0must be a number\\u00a0 "
          x-kubernetes-validations:
            - rule: "has(self.host)"
              reason: FieldValueRequired
              fieldPath: .host
              message: a host is needed
            - rule: "!has(self.labels) || !('a.b' in self.labels) || self.labels['a.b'] != 'x'"
              reason: FieldValueForbidden
              fieldPath: ".labels['a.b']"
              message: x is not a value for a.b
            - rule: "!has(self.port) || self.port != 2"
              reason: FieldValueDuplicate
              message: ignored by Duplicate
            - rule: "!has(self.port) || self.port != 3"
              reason: FieldValueInvalid
              messageExpression: "'port ' + string(self.port) + ' is taken'"
      """;

  private static List<String> errorsOf(String spec) {
    return messages(Yaml.schema(SCHEMA).validate(Yaml.object("{spec: " + spec + "}"), null));
  }

  @Test
  void aScalarReportsItsTypeNotItsValue() {
    // upstream: field.Invalid(fldPath, sts.Type, detail); detail "failed rule: %s"
    assertThat(errorsOf("{host: h, replicas: 12}"))
        .containsExactly("spec.replicas: Invalid value: \"integer\": failed rule: self < 10");
  }

  @Test
  void intOrStringHasNoTypeSoTheValueIsEmpty() {
    // upstream: sts.Type is "" for x-kubernetes-int-or-string; messages are strings.TrimSpace'd,
    // which trims U+00A0 too.
    assertThat(errorsOf("{host: h, size: 1Gi}"))
        .containsExactly("spec.size: Invalid value: \"\": must be a number");
  }

  @Test
  void fieldPathAtTheRootReplacesNil() {
    // upstream: currentFldPath = fldPath.Child(compiled.NormalizedRuleFieldPath), fldPath nil
    assertThat(errorsOf("{host: h, port: 1}"))
        .containsExactly("spec.port: Invalid value: \"object\": port 1 is reserved");
  }

  @Test
  void reasonsChooseTheErrorType() {
    // upstream fieldErrorForReason: Required(fldPath, detail), Forbidden(fldPath, detail),
    // Duplicate(fldPath, value) (no detail), Invalid(fldPath, value, detail)
    assertThat(errorsOf("{}")).containsExactly("spec.host: Required value: a host is needed");
    assertThat(errorsOf("{host: h, labels: {a.b: x}}"))
        .containsExactly("spec.labels[a.b]: Forbidden: x is not a value for a.b");
    assertThat(errorsOf("{host: h, port: 2}")).containsExactly("spec: Duplicate value: \"object\"");
    assertThat(errorsOf("{host: h, port: 3}"))
        .containsExactly("spec: Invalid value: \"object\": port 3 is taken");
  }

  /** The one error of a rule that fails, with this messageExpression (CEL) and message. */
  static String messageFor(String messageExpression, String message) {
    String schema =
        """
        type: object
        properties:
          n:
            type: integer
            x-kubernetes-validations:
              - rule: self < 0
                messageExpression: %s
        %s
        """
            .formatted(
                GoText.jsonString(messageExpression),
                message == null ? "" : "        message: " + message);
    List<String> errors = messages(Yaml.schema(schema).validate(Yaml.object("{n: 5}"), null));
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  @Test
  void messageExpressionResultIsTrimmedAndFallsBackToTheMessageWhenUnusable() {
    // upstream evalMessageExpression: strings.TrimSpace, then refused when longer than
    // MaxEvaluatedMessageExpressionSizeBytes (5 KiB), with a line break, or empty; a failed
    // evaluation is logged; each falls back to ruleMessageOrDefault(rule).
    assertThat(messageFor("' n is ' + string(self) + '\\n'", null))
        .isEqualTo("n: Invalid value: \"integer\": n is 5");
    assertThat(messageFor("'two\\nlines'", null))
        .isEqualTo("n: Invalid value: \"integer\": failed rule: self < 0");
    assertThat(messageFor("'   '", "negative only"))
        .isEqualTo("n: Invalid value: \"integer\": negative only");
    assertThat(messageFor("['x'][1]", "negative only"))
        .isEqualTo("n: Invalid value: \"integer\": negative only");
  }

  @Test
  void aMessageExpressionOverTheLimitInBytesFallsBack() {
    String longText = "é".repeat(2600); // 2,600 characters, 5,200 UTF-8 bytes > 5,120
    assertThat(messageFor("'" + longText + "'", null))
        .isEqualTo("n: Invalid value: \"integer\": failed rule: self < 0");
    String fits = "é".repeat(2560); // exactly 5,120 bytes
    assertThat(messageFor("'" + fits + "'", null))
        .isEqualTo("n: Invalid value: \"integer\": " + fits);
  }

  @Test
  void messageExpressionOnAnUpdateSeesSelfAndOldSelf() {
    var schema =
        Yaml.schema(
            """
            type: object
            properties:
              n:
                type: integer
                x-kubernetes-validations:
                  - rule: self < 0
                    messageExpression: "'n is ' + string(self)"
                  - rule: self >= oldSelf
                    messageExpression: "'n was ' + string(oldSelf) + ', is ' + string(self)"
            """);
    assertThat(messages(schema.validate(Yaml.object("{n: 5}"), Yaml.object("{n: 6}"))))
        .containsExactly(
            "n: Invalid value: \"integer\": n is 5",
            "n: Invalid value: \"integer\": n was 6, is 5");
  }
}
