package io.nauta.api.customresource.schema;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * One compiled {@code x-kubernetes-validations} entry: the rule's program, its {@code
 * messageExpression}'s program if any, whether it is a transition rule (uses {@code oldSelf}), and
 * the normalized {@code fieldPath} its errors point at.
 */
record CelRule(
    Schema.ValidationRule source,
    CelRuntime.Program program,
    CelRuntime.Program messageProgram,
    boolean usesOldSelf,
    String fieldPath) {

  /** Outcome of compiling: a rule, or upstream's error detail for the rule or its message. */
  record Compiled(CelRule rule, String ruleError, String messageExpressionError) {}

  static Compiled compile(Schema.ValidationRule source, String normalizedFieldPath) {
    CelAbstractSyntaxTree ast;
    CelRuntime.Program program;
    try {
      CelValidationResult result = compiler(source).compile(source.rule().trim());
      if (result.hasError()) {
        return new Compiled(null, "compilation failed: " + result.getErrorString(), null);
      }
      ast = result.getAst();
      if (!acceptable(ast.getResultType(), SimpleType.BOOL)) {
        return new Compiled(null, "cel expression must evaluate to a bool", null);
      }
      program = CelEnvironment.RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      return new Compiled(null, "program instantiation failed: " + e.getMessage(), null);
    }
    boolean usesOldSelf =
        ast.getReferenceMap().values().stream()
            .anyMatch(r -> r.name().equals(CelEnvironment.OLD_SELF));

    CelRuntime.Program messageProgram = null;
    String messageExpression = source.messageExpression().trim();
    if (!messageExpression.isEmpty()) {
      try {
        CelValidationResult result = compiler(source).compile(messageExpression);
        if (result.hasError()) {
          return new Compiled(
              null, null, "messageExpression compilation failed: " + result.getErrorString());
        }
        CelAbstractSyntaxTree messageAst = result.getAst();
        if (!acceptable(messageAst.getResultType(), SimpleType.STRING)) {
          return new Compiled(null, null, "messageExpression must evaluate to a string");
        }
        messageProgram = CelEnvironment.RUNTIME.createProgram(messageAst);
      } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
        return new Compiled(
            null, null, "messageExpression instantiation failed: " + e.getMessage());
      }
    }
    return new Compiled(
        new CelRule(source, program, messageProgram, usesOldSelf, normalizedFieldPath), null, null);
  }

  private static dev.cel.compiler.CelCompiler compiler(Schema.ValidationRule source) {
    return Boolean.TRUE.equals(source.optionalOldSelf())
        ? CelEnvironment.OPTIONAL_OLD_SELF_COMPILER
        : CelEnvironment.COMPILER;
  }

  /** {@code self} is dyn here, so a dyn result is accepted; upstream's typed check is stricter. */
  private static boolean acceptable(CelType actual, CelType wanted) {
    return actual.equals(wanted) || actual.equals(SimpleType.DYN);
  }

  /**
   * Upstream's {@code ruleErrorString}: the message if any, else the rule, trimmed as Go's {@code
   * strings.TrimSpace} trims.
   */
  String ruleErrorString() {
    return GoText.trimSpace(source.message().isEmpty() ? source.rule() : source.message());
  }

  /** Upstream's {@code ruleMessageOrDefault}: the message, or {@code failed rule: <rule>}. */
  String messageOrDefault() {
    return source.message().isEmpty()
        ? "failed rule: " + ruleErrorString()
        : GoText.trimSpace(source.message());
  }
}
