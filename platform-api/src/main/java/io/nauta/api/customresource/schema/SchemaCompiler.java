package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Compiles a CRD version's {@code openAPIV3Schema} once, when the CRD is written: refuses it with
 * Kubernetes' messages unless it is structural, its defaults are pruned and valid, and its {@code
 * x-kubernetes-validations} compile; otherwise gives the {@link CustomResourceSchema} that every
 * write of the kind then uses.
 */
public final class SchemaCompiler {
  private SchemaCompiler() {}

  /**
   * @param fieldPath e.g. "spec.versions[0].schema.openAPIV3Schema", the prefix of every error's
   *     field
   */
  public static CompiledSchema compile(JsonNode openAPIV3Schema, String fieldPath) {
    if (openAPIV3Schema == null || openAPIV3Schema.isNull() || openAPIV3Schema.isMissingNode()) {
      return new CompiledSchema(List.of(FieldError.required(fieldPath, "")), null);
    }
    if (!openAPIV3Schema.isObject()) {
      return new CompiledSchema(
          List.of(
              FieldError.invalid(fieldPath, GoText.badValue(openAPIV3Schema), "must be an object")),
          null);
    }
    Schema root = Schema.parse(openAPIV3Schema);
    List<FieldError> errs = new ArrayList<>();
    if (root.nullable) {
      errs.add(
          FieldError.forbidden(
              Paths.child(fieldPath, "nullable"), "nullable cannot be true at the root"));
    }
    boolean structural = false;
    if (SpecChecks.convertible(root)) {
      List<FieldError> structuralErrs = StructuralChecks.check(root, fieldPath);
      errs.addAll(structuralErrs);
      structural = structuralErrs.isEmpty();
    }
    // Rules compile first (defaults are checked against them too); upstream reports the rules'
    // compile errors only for a structural schema whose defaults are valid.
    SpecChecks.Result spec = SpecChecks.check(root, fieldPath, structural);
    root.mark();
    if (structural) {
      List<FieldError> defaultErrs = DefaultChecks.check(root, fieldPath);
      errs.addAll(defaultErrs);
      structural = defaultErrs.isEmpty();
    }
    errs.addAll(spec.schema());
    if (structural) {
      errs.addAll(spec.cel());
    }
    if (!errs.isEmpty()) {
      return new CompiledSchema(List.copyOf(errs), null);
    }
    return new CompiledSchema(List.of(), new CompiledCustomResourceSchema(root));
  }
}
