package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A schema's {@code default}s must be pruned already and valid, as apiextensions' {@code
 * defaulting.ValidateDefaults} requires of a v1 CRD: each default is pruned with its own schema (a
 * change is "must not have unknown fields"), then checked like an object (embedded resources,
 * OpenAPI validation, rules), with errors under {@code <schema path>.default}.
 */
final class DefaultChecks {
  private DefaultChecks() {}

  private static final Set<String> META_FIELDS = Set.of("metadata", "apiVersion", "kind");

  static List<FieldError> check(Schema root, String path) {
    List<FieldError> errs = new ArrayList<>();
    node(root, path, false, true, errs);
    return errs;
  }

  private static void node(
      Schema s, String path, boolean insideMeta, boolean isRoot, List<FieldError> errs) {
    if (s == null) {
      return;
    }
    boolean embedded = isRoot || s.xEmbeddedResource;
    // Defaults inside the resource's own metadata are refused by SpecChecks; inside an embedded
    // resource's metadata upstream coerces them as ObjectMeta, which is not done here.
    if (s.defaultValue != null && !s.defaultValue.isNull() && !insideMeta) {
      defaultValue(s, Paths.child(path, "default"), errs);
    }
    node(s.items, Paths.child(path, "items"), insideMeta, false, errs);
    if (s.properties != null) {
      for (Map.Entry<String, Schema> e : s.properties.entrySet()) {
        boolean subInsideMeta = insideMeta || (embedded && META_FIELDS.contains(e.getKey()));
        node(
            e.getValue(),
            Paths.key(Paths.child(path, "properties"), e.getKey()),
            subInsideMeta,
            false,
            errs);
      }
    }
  }

  private static void defaultValue(Schema s, String path, List<FieldError> errs) {
    JsonNode value = s.defaultValue;
    JsonNode pruned = value.deepCopy();
    Pruner.prune(pruned, s, s.xEmbeddedResource);
    if (!pruned.equals(value)) {
      errs.add(FieldError.invalid(path, GoText.badValue(value), "must not have unknown fields"));
    }
    List<FieldError> embedded = new ArrayList<>();
    EmbeddedResources.validate(path, value, s, embedded);
    if (!embedded.isEmpty()) {
      errs.addAll(embedded);
      return;
    }
    List<FieldError> invalid = ValueValidator.validate(s, value, path);
    if (!invalid.isEmpty()) {
      errs.addAll(invalid);
      return;
    }
    if (s.hasCelRules) {
      List<FieldError> cel = new ArrayList<>();
      new CelValidator(cel).validate(path, s, value, value, s.xEmbeddedResource);
      if (cel.isEmpty()) {
        new CelValidator(cel).validate(path, s, value, null, s.xEmbeddedResource);
      }
      errs.addAll(cel);
    }
  }
}
