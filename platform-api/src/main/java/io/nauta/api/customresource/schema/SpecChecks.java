package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Paths.child;
import static io.nauta.api.customresource.schema.Paths.index;
import static io.nauta.api.customresource.schema.Paths.key;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks apiextensions' {@code ValidateCustomResourceDefinitionOpenAPISchema} makes on every
 * node of a v1 CRD's schema (unsupported keywords, list and map types, rule syntax), and the
 * compilation of {@code x-kubernetes-validations} into {@link CelRule}s, with upstream's messages.
 * Compiled rules are stored on their schema node.
 */
final class SpecChecks {
  private SpecChecks() {}

  private static final Set<String> TYPES =
      Set.of("array", "boolean", "integer", "number", "object", "string");
  private static final Set<String> META_FIELDS = Set.of("metadata", "kind", "apiVersion");
  private static final List<String> REASONS =
      List.of(
          "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired");
  private static final Pattern NEWLINES = Pattern.compile("[\n\r]+");

  /** Upstream's {@code specStandardValidatorV3} options along the walk. */
  private record Context(
      boolean insideResourceMeta, String forbiddenDefaultsReason, String uncorrelatablePath) {
    Context withInsideResourceMeta() {
      return new Context(true, forbiddenDefaultsReason, uncorrelatablePath);
    }

    Context withForbiddenDefaults(String reason) {
      return new Context(insideResourceMeta, reason, uncorrelatablePath);
    }

    Context withForbidOldSelf(String path) {
      return uncorrelatablePath != null
          ? this
          : new Context(insideResourceMeta, forbiddenDefaultsReason, path);
    }
  }

  /** Schema errors, and apart the errors of compiling rules (upstream lists them last). */
  record Result(List<FieldError> schema, List<FieldError> cel) {}

  private record Errors(List<FieldError> schema, List<FieldError> cel) {
    Errors() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(Errors other) {
      schema.addAll(other.schema);
      cel.addAll(other.cel);
    }
  }

  /**
   * Checks the tree under {@code root}; compiles rules only where {@code compileRules} (upstream
   * skips CEL when the schema is not structural).
   */
  static Result check(Schema root, String path, boolean compileRules) {
    Errors errs = node(root, path, new Context(false, null, null), true, compileRules);
    return new Result(errs.schema, errs.cel);
  }

  /** Whether NewStructural would fail: keywords a structural schema cannot hold at all. */
  static boolean convertible(Schema s) {
    if (s == null) {
      return true;
    }
    if (s.hasId
        || s.hasRef
        || s.hasPatternProperties
        || s.hasDependencies
        || s.hasAdditionalItems
        || s.hasDefinitions
        || s.itemsIsArray
        || (s.xPreserveUnknownFieldsRaw != null && !s.xPreserveUnknownFields)) {
      return false;
    }
    List<Schema> children = new ArrayList<>(s.allOf);
    children.addAll(s.anyOf);
    children.addAll(s.oneOf);
    children.add(s.not);
    children.add(s.items);
    children.add(s.additionalProperties);
    if (s.properties != null) {
      children.addAll(s.properties.values());
    }
    return children.stream().allMatch(SpecChecks::convertible);
  }

  private static Errors node(Schema s, String path, Context ctx, boolean isRoot, boolean cel) {
    Errors errs = new Errors();
    if (s == null) {
      return errs;
    }
    standard(s, path, ctx, errs.schema);
    if (s.uniqueItems) {
      errs.schema.add(
          FieldError.forbidden(
              child(path, "uniqueItems"),
              "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    if (s.hasAdditionalProperties) {
      if (s.properties != null
          && !s.properties.isEmpty()
          && (!s.additionalPropertiesAllows || s.additionalProperties != null)) {
        errs.schema.add(
            FieldError.forbidden(
                child(path, "additionalProperties"),
                "additionalProperties and properties are mutual exclusive"));
      }
      Context sub =
          ctx.insideResourceMeta
              ? ctx.withForbiddenDefaults("inside additionalProperties applying to object metadata")
              : ctx;
      errs.add(node(s.additionalProperties, child(path, "additionalProperties"), sub, false, cel));
    }
    if (s.properties != null) {
      for (Map.Entry<String, Schema> e : s.properties.entrySet()) {
        Context sub = ctx;
        if ((isRoot || s.xEmbeddedResource) && META_FIELDS.contains(e.getKey())) {
          sub = sub.withInsideResourceMeta();
          if (isRoot) {
            sub = sub.withForbiddenDefaults("in top-level " + e.getKey());
          }
        }
        errs.add(node(e.getValue(), key(child(path, "properties"), e.getKey()), sub, false, cel));
      }
    }
    errs.add(node(s.not, child(path, "not"), ctx, false, false));
    junctors(s.allOf, child(path, "allOf"), ctx, errs);
    junctors(s.oneOf, child(path, "oneOf"), ctx, errs);
    junctors(s.anyOf, child(path, "anyOf"), ctx, errs);
    if (s.items != null) {
      Context sub = "map".equals(s.xListType) ? ctx : ctx.withForbidOldSelf(path);
      errs.add(node(s.items, child(path, "items"), sub, false, cel));
    }
    listAndMapTypes(s, path, errs.schema);
    mapListKeysMapSet(s, path, errs.schema);
    if (!s.xValidations.isEmpty()) {
      rules(s, path, errs.schema);
      if (errs.schema.isEmpty() && cel) {
        compileRules(s, path, ctx, errs.cel);
      }
    }
    return errs;
  }

  private static void junctors(List<Schema> list, String path, Context ctx, Errors errs) {
    for (int i = 0; i < list.size(); i++) {
      errs.add(node(list.get(i), index(path, i), ctx, false, false));
    }
  }

  private static void standard(Schema s, String path, Context ctx, List<FieldError> errs) {
    if (!s.type.isEmpty() && !TYPES.contains(s.type)) {
      errs.add(
          FieldError.notSupported(
              child(path, "type"),
              s.type,
              "supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\","
                  + " \"string\""));
    }
    if (s.defaultValue != null && ctx.forbiddenDefaultsReason != null) {
      errs.add(
          FieldError.forbidden(
              child(path, "default"), "must not be set " + ctx.forbiddenDefaultsReason));
    }
    if (s.hasId) {
      errs.add(FieldError.forbidden(child(path, "id"), "id is not supported"));
    }
    if (s.hasAdditionalItems) {
      errs.add(
          FieldError.forbidden(child(path, "additionalItems"), "additionalItems is not supported"));
    }
    if (s.hasPatternProperties) {
      errs.add(
          FieldError.forbidden(
              child(path, "patternProperties"), "patternProperties is not supported"));
    }
    if (s.hasDefinitions) {
      errs.add(FieldError.forbidden(child(path, "definitions"), "definitions is not supported"));
    }
    if (s.hasDependencies) {
      errs.add(FieldError.forbidden(child(path, "dependencies"), "dependencies is not supported"));
    }
    if (s.hasRef) {
      errs.add(FieldError.forbidden(child(path, "$ref"), "$ref is not supported"));
    }
    if (s.type.equals("null")) {
      errs.add(
          FieldError.forbidden(
              child(path, "type"), "type cannot be set to null, use nullable as an alternative"));
    }
    if (s.itemsIsArray) {
      errs.add(
          FieldError.forbidden(
              child(path, "items"), "items must be a schema object and not an array"));
    }
    if (ctx.insideResourceMeta && s.xEmbeddedResource) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-embedded-resource"),
              "must not be used inside of resource meta"));
    }
  }

  private static void listAndMapTypes(Schema s, String path, List<FieldError> errs) {
    if (s.xPreserveUnknownFieldsRaw != null && !s.xPreserveUnknownFields) {
      errs.add(
          FieldError.invalid(
              child(path, "x-kubernetes-preserve-unknown-fields"),
              false,
              "must be true or undefined"));
    }
    if (s.xMapType != null && !s.type.equals("object")) {
      String detail = "must be object if x-kubernetes-map-type is specified";
      errs.add(
          s.type.isEmpty()
              ? FieldError.required(child(path, "type"), detail)
              : FieldError.invalid(child(path, "type"), s.type, detail));
    }
    if (s.xMapType != null && !s.xMapType.equals("atomic") && !s.xMapType.equals("granular")) {
      errs.add(
          FieldError.notSupported(
              child(path, "x-kubernetes-map-type"),
              s.xMapType,
              "supported values: \"atomic\", \"granular\""));
    }
    if (s.xListType != null && !s.type.equals("array")) {
      String detail = "must be array if x-kubernetes-list-type is specified";
      errs.add(
          s.type.isEmpty()
              ? FieldError.required(child(path, "type"), detail)
              : FieldError.invalid(child(path, "type"), s.type, detail));
    } else if ("set".equals(s.xListType) && s.items != null) {
      Schema is = s.items;
      String detail = "must be atomic as item of a list with x-kubernetes-list-type=set";
      if (is.type.equals("array") && is.xListType != null && !is.xListType.equals("atomic")) {
        errs.add(
            FieldError.invalid(
                child(child(path, "items"), "x-kubernetes-list-type"), is.xListType, detail));
      } else if (is.type.equals("object") && !"atomic".equals(is.xMapType)) {
        errs.add(
            FieldError.invalid(
                child(child(path, "items"), "x-kubernetes-map-type"), is.xListType, detail));
      }
    }
    if (s.xListType != null
        && !s.xListType.equals("atomic")
        && !s.xListType.equals("set")
        && !s.xListType.equals("map")) {
      errs.add(
          FieldError.notSupported(
              child(path, "x-kubernetes-list-type"),
              s.xListType,
              "supported values: \"atomic\", \"set\", \"map\""));
    }
    if (!s.xListMapKeys.isEmpty()) {
      String detail = "must be map if x-kubernetes-list-map-keys is non-empty";
      if (s.xListType == null) {
        errs.add(FieldError.required(child(path, "x-kubernetes-list-type"), detail));
      } else if (!s.xListType.equals("map")) {
        errs.add(FieldError.invalid(child(path, "x-kubernetes-list-type"), s.xListType, detail));
      }
    }
    if ("map".equals(s.xListType)) {
      if (s.xListMapKeys.isEmpty()) {
        errs.add(
            FieldError.required(
                child(path, "x-kubernetes-list-map-keys"),
                "must not be empty if x-kubernetes-list-type is map"));
      }
      if (s.items == null) {
        errs.add(
            FieldError.required(
                child(path, "items"), "must have a schema if x-kubernetes-list-type is map"));
      } else if (!s.items.type.equals("object")) {
        errs.add(
            FieldError.invalid(
                child(child(path, "items"), "type"),
                s.items.type,
                "must be object if parent array's x-kubernetes-list-type is map"));
      } else {
        Object keysValue = new GoText.Printed(jsonStrings(s.xListMapKeys));
        Set<String> seen = new HashSet<>();
        for (String k : s.xListMapKeys) {
          Schema p = s.items.properties == null ? null : s.items.properties.get(k);
          if (p != null) {
            if (p.type.equals("array") || p.type.equals("object")) {
              errs.add(
                  FieldError.invalid(
                      child(key(child(child(path, "items"), "properties"), k), "type"),
                      s.items.type,
                      "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }
          } else {
            errs.add(
                FieldError.invalid(
                    child(path, "x-kubernetes-list-map-keys"),
                    keysValue,
                    "entries must all be names of item properties"));
          }
          if (!seen.add(k)) {
            errs.add(
                FieldError.invalid(
                    child(path, "x-kubernetes-list-map-keys"),
                    keysValue,
                    "must not contain duplicate entries"));
          }
        }
      }
    }
  }

  private static void mapListKeysMapSet(Schema s, String path, List<FieldError> errs) {
    if (s.items == null || s.xListType == null) {
      return;
    }
    if (!s.xListType.equals("set") && !s.xListType.equals("map")) {
      return;
    }
    if (s.items.nullable) {
      errs.add(
          FieldError.forbidden(
              child(child(path, "items"), "nullable"),
              "cannot be nullable when x-kubernetes-list-type is " + s.xListType));
    }
    if (s.xListType.equals("map")) {
      for (String k : s.xListMapKeys) {
        Schema p = s.items.properties == null ? null : s.items.properties.get(k);
        if (p == null) {
          continue;
        }
        String keyPath = key(child(child(path, "items"), "properties"), k);
        if (!s.items.required.contains(k) && p.defaultValue == null) {
          errs.add(
              FieldError.required(
                  child(keyPath, "default"),
                  "this property is in x-kubernetes-list-map-keys, so it must have a default or be"
                      + " a required property"));
        }
        if (p.nullable) {
          errs.add(
              FieldError.forbidden(
                  child(keyPath, "nullable"),
                  "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
        }
      }
    }
  }

  private static void rules(Schema s, String path, List<FieldError> errs) {
    for (int i = 0; i < s.xValidations.size(); i++) {
      Schema.ValidationRule rule = s.xValidations.get(i);
      String rulePath = index(child(path, "x-kubernetes-validations"), i);
      String trimmedRule = rule.rule().trim();
      String trimmedMsg = rule.message().trim();
      if (trimmedRule.isEmpty()) {
        errs.add(FieldError.required(child(rulePath, "rule"), "rule is not specified"));
      } else if (!rule.message().isEmpty() && trimmedMsg.isEmpty()) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "message"), rule.message(), "must be non-empty if specified"));
      } else if (NEWLINES.matcher(trimmedMsg).find()) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "message"), rule.message(), "must not contain line breaks"));
      } else if (NEWLINES.matcher(trimmedRule).find() && trimmedMsg.isEmpty()) {
        errs.add(
            FieldError.required(
                child(rulePath, "message"),
                "message must be specified if rule contains line breaks"));
      }
      if (!rule.messageExpression().isEmpty() && rule.messageExpression().trim().isEmpty()) {
        errs.add(
            FieldError.required(
                child(rulePath, "messageExpression"),
                "messageExpression must be non-empty if specified"));
      }
      if (rule.reason() != null && !REASONS.contains(rule.reason())) {
        errs.add(
            FieldError.notSupported(
                child(rulePath, "reason"),
                rule.reason(),
                "supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\","
                    + " \"FieldValueInvalid\", \"FieldValueRequired\""));
      }
      if (!rule.fieldPath().isEmpty() && rule.fieldPath().trim().isEmpty()) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "fieldPath"), rule.fieldPath(), "must be non-empty if specified"));
      }
      if (NEWLINES.matcher(rule.fieldPath()).find()) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "fieldPath"), rule.fieldPath(), "must not contain line breaks"));
      }
      if (!rule.fieldPath().isEmpty() && RuleFieldPath.normalize(rule.fieldPath(), s) == null) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "fieldPath"), rule.fieldPath(), "must be a valid path"));
      }
    }
  }

  private static void compileRules(Schema s, String path, Context ctx, List<FieldError> errs) {
    List<CelRule> compiled = new ArrayList<>();
    for (int i = 0; i < s.xValidations.size(); i++) {
      Schema.ValidationRule rule = s.xValidations.get(i);
      String rulePath = index(child(path, "x-kubernetes-validations"), i);
      String fieldPath =
          rule.fieldPath().isEmpty() ? "" : RuleFieldPath.normalize(rule.fieldPath(), s);
      CelRule.Compiled c = CelRule.compile(rule, fieldPath);
      Object ruleValue = new GoText.Printed(internalRuleJson(rule));
      if (c.ruleError() != null) {
        errs.add(FieldError.invalid(child(rulePath, "rule"), ruleValue, c.ruleError()));
        continue;
      }
      if (c.messageExpressionError() != null) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "messageExpression"), ruleValue, c.messageExpressionError()));
        continue;
      }
      CelRule r = c.rule();
      if (r.usesOldSelf()) {
        if (ctx.uncorrelatablePath != null) {
          errs.add(
              FieldError.invalid(
                  child(rulePath, "rule"),
                  rule.rule(),
                  "oldSelf cannot be used on the uncorrelatable portion of the schema within "
                      + ctx.uncorrelatablePath));
        }
      } else if (rule.optionalOldSelf() != null) {
        errs.add(
            FieldError.invalid(
                child(rulePath, "optionalOldSelf"),
                rule.optionalOldSelf(),
                "may not be set if oldSelf is not used in rule"));
      }
      compiled.add(r);
    }
    s.celRules = compiled;
  }

  /** {@code json.Marshal} of upstream's internal ValidationRule, which has no JSON tags. */
  private static String internalRuleJson(Schema.ValidationRule r) {
    return "{\"Rule\":"
        + GoText.jsonString(r.rule())
        + ",\"Message\":"
        + GoText.jsonString(r.message())
        + ",\"MessageExpression\":"
        + GoText.jsonString(r.messageExpression())
        + ",\"Reason\":"
        + (r.reason() == null ? "null" : GoText.jsonString(r.reason()))
        + ",\"FieldPath\":"
        + GoText.jsonString(r.fieldPath())
        + ",\"OptionalOldSelf\":"
        + (r.optionalOldSelf() == null ? "null" : r.optionalOldSelf())
        + "}";
  }

  private static String jsonStrings(List<String> list) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      b.append(i > 0 ? "," : "").append(GoText.jsonString(list.get(i)));
    }
    return b.append(']').toString();
  }
}
