package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A compiled structural schema: prunes, defaults and validates objects as apiextensions' custom
 * resource handler and strategy do. Immutable after compilation, so shared by every request.
 */
final class CompiledCustomResourceSchema implements CustomResourceSchema {
  private static final Set<FieldError.Type> BLOCKING =
      Set.of(
          FieldError.Type.NOT_SUPPORTED,
          FieldError.Type.REQUIRED,
          FieldError.Type.TOO_LONG,
          FieldError.Type.TOO_MANY,
          FieldError.Type.TYPE_INVALID);

  private final Schema root;

  CompiledCustomResourceSchema(Schema root) {
    this.root = root;
  }

  @Override
  public void prune(ObjectNode obj) {
    Pruner.prune(obj, root, true);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    Defaulter.apply(obj, root);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(ValueValidator.validate(root, obj, null));
    EmbeddedResources.validate("", obj, root, errs);
    listTypes(obj, old, errs);
    celRules(obj, old, errs, false);
    return errs;
  }

  @Override
  public List<FieldError> validateStatus(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    Schema status = root.properties == null ? null : root.properties.get("status");
    JsonNode value = obj.get("status");
    if (status != null && value != null) {
      errs.addAll(ValueValidator.validate(status, value, "status"));
    }
    listTypes(obj, old, errs);
    celRules(obj, old, errs, true);
    return errs;
  }

  /**
   * On update, list invariants are checked only if the old object kept them (upstream ratchets).
   */
  private void listTypes(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
    List<FieldError> oldListErrs = new ArrayList<>();
    if (old != null) {
      ListTypes.validate("", root, old, oldListErrs);
    }
    if (oldListErrs.isEmpty()) {
      ListTypes.validate("", root, obj, errs);
    }
  }

  private void celRules(
      ObjectNode obj, ObjectNode old, List<FieldError> errs, boolean skipUnchanged) {
    if (!root.hasCelRules) {
      return;
    }
    if (errs.stream().anyMatch(e -> BLOCKING.contains(e.type()))) {
      errs.add(
          FieldError.invalid(
              "<nil>",
              null,
              "some validation rules were not checked because the object was invalid; correct"
                  + " the existing errors to complete validation"));
    } else {
      new CelValidator(errs, skipUnchanged).validate("", root, obj, old, true);
    }
  }
}
