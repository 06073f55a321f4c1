package io.nauta.api.customresource.schema;

import static io.nauta.api.customresource.schema.Paths.child;
import static io.nauta.api.customresource.schema.Paths.index;
import static io.nauta.api.customresource.schema.Paths.key;

import com.google.re2j.PatternSyntaxException;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whether a schema is structural, with upstream's messages: the invariants and the completeness
 * check of apiextensions-apiserver's {@code pkg/apiserver/schema/validation.go} and {@code
 * complete.go}. Errors come back sorted by their text, as upstream sorts them.
 */
final class StructuralChecks {
  private StructuralChecks() {}

  private enum Level {
    ROOT,
    ITEM,
    FIELD
  }

  static List<FieldError> check(Schema root, String path) {
    List<FieldError> errs = new ArrayList<>();
    invariants(root, Level.ROOT, path, errs);
    completeness(root, root, path, path, errs);
    errs.sort(Comparator.comparing(FieldError::message));
    return errs;
  }

  private static void invariants(Schema s, Level lvl, String path, List<FieldError> errs) {
    if (s == null) {
      return;
    }
    if (s.type.equals("array") && s.items == null) {
      errs.add(FieldError.required(child(path, "items"), "must be specified"));
    }
    invariants(s.items, Level.ITEM, child(path, "items"), errs);
    if (s.properties != null) {
      for (Map.Entry<String, Schema> e : s.properties.entrySet()) {
        invariants(e.getValue(), Level.FIELD, key(child(path, "properties"), e.getKey()), errs);
      }
    }
    if (s.hasAdditionalProperties) {
      if (lvl == Level.ROOT) {
        errs.add(
            FieldError.forbidden(
                child(path, "additionalProperties"), "must not be used at the root"));
      }
      if (s.additionalProperties != null) {
        invariants(s.additionalProperties, Level.FIELD, child(path, "additionalProperties"), errs);
      }
    }
    if (s.xIntOrString && s.xPreserveUnknownFields) {
      errs.add(
          FieldError.invalid(
              child(path, "x-kubernetes-preserve-unknown-fields"),
              true,
              "must be false if x-kubernetes-int-or-string is true"));
    }
    if (s.xIntOrString && s.xEmbeddedResource) {
      errs.add(
          FieldError.invalid(
              child(path, "x-kubernetes-embedded-resource"),
              true,
              "must be false if x-kubernetes-int-or-string is true"));
    }
    valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAllOf(s), path, errs);

    boolean checkMetadata = lvl == Level.ROOT || s.xEmbeddedResource;
    if (s.xEmbeddedResource && !s.type.equals("object")) {
      String detail = "must be object if x-kubernetes-embedded-resource is true";
      errs.add(
          s.type.isEmpty()
              ? FieldError.required(child(path, "type"), detail)
              : FieldError.invalid(child(path, "type"), s.type, detail));
    } else if (s.type.isEmpty() && !s.xIntOrString && !s.xPreserveUnknownFields) {
      String detail =
          switch (lvl) {
            case ROOT -> "must not be empty at the root";
            case ITEM -> "must not be empty for specified array items";
            case FIELD -> "must not be empty for specified object fields";
          };
      errs.add(FieldError.required(child(path, "type"), detail));
    }
    if (s.xEmbeddedResource && s.hasAdditionalProperties) {
      errs.add(
          FieldError.forbidden(
              child(path, "additionalProperties"),
              "must not be used if x-kubernetes-embedded-resource is set"));
    }
    if (lvl == Level.ROOT && !s.type.isEmpty() && !s.type.equals("object")) {
      errs.add(FieldError.invalid(child(path, "type"), s.type, "must be object at the root"));
    }
    if (s.properties != null && checkMetadata) {
      for (String meta : List.of("kind", "apiVersion")) {
        Schema p = s.properties.get(meta);
        if (p != null && !p.type.equals("string")) {
          errs.add(
              FieldError.invalid(
                  child(key(child(path, "properties"), meta), "type"), p.type, "must be string"));
        }
      }
    }
    Schema metadata = s.properties == null ? null : s.properties.get("metadata");
    if (metadata != null) {
      metadataInvariants(
          metadata, checkMetadata, lvl, key(child(path, "properties"), "metadata"), errs);
    }
    if (s.xEmbeddedResource
        && !s.xPreserveUnknownFields
        && (s.properties == null || s.properties.isEmpty())) {
      errs.add(
          FieldError.required(
              child(path, "properties"),
              "must not be empty if x-kubernetes-embedded-resource is true without"
                  + " x-kubernetes-preserve-unknown-fields"));
    }
  }

  private static void metadataInvariants(
      Schema s, boolean checkMetadata, Level lvl, String path, List<FieldError> errs) {
    if (checkMetadata && !s.type.equals("object")) {
      errs.add(FieldError.invalid(child(path, "type"), s.type, "must be object"));
    }
    if (lvl == Level.ROOT) {
      // Only name and generateName may be restricted; metadata is otherwise implicitly specified.
      boolean onlyNames =
          s.properties == null
              || s.properties.isEmpty()
              || s.properties.keySet().stream()
                  .allMatch(k -> k.equals("name") || k.equals("generateName"));
      boolean empty =
          onlyNames
              && s.items == null
              && !s.hasAdditionalProperties
              && s.title.isEmpty()
              && s.description.isEmpty()
              && !s.nullable
              && !s.xPreserveUnknownFields
              && !s.xEmbeddedResource
              && !s.xIntOrString
              && s.xListType == null
              && s.xListMapKeys.isEmpty()
              && s.xMapType == null
              && s.xValidations.isEmpty()
              && !s.hasValueValidation();
      if (!empty) {
        errs.add(
            FieldError.forbidden(
                path,
                "must not specify anything other than name and generateName, but metadata is"
                    + " implicitly specified"));
      }
    }
  }

  /** {@code anyOf: [{type: integer}, {type: string}]}, allowed for int-or-string. */
  private static boolean isIntOrStringAnyOf(List<Schema> anyOf) {
    return anyOf.size() == 2
        && onlyType(anyOf.get(0), "integer")
        && onlyType(anyOf.get(1), "string");
  }

  private static boolean isIntOrStringAllOf(Schema s) {
    return !s.allOf.isEmpty() && isIntOrStringAnyOf(s.allOf.get(0).anyOf);
  }

  private static boolean onlyType(Schema s, String type) {
    return s.type.equals(type)
        && !s.hasValueValidation()
        && s.properties == null
        && s.items == null
        && !s.hasAdditionalProperties
        && s.title.isEmpty()
        && s.description.isEmpty()
        && !s.nullable
        && s.defaultValue == null
        && !s.externalDocs
        && !s.xPreserveUnknownFields
        && !s.xEmbeddedResource
        && !s.xIntOrString
        && s.xListType == null
        && s.xListMapKeys.isEmpty()
        && s.xMapType == null
        && s.xValidations.isEmpty();
  }

  private static void valueValidation(
      Schema v,
      boolean skipAnyOf,
      boolean skipFirstAllOfAnyOf,
      String path,
      List<FieldError> errs) {
    if (!skipAnyOf) {
      for (int i = 0; i < v.anyOf.size(); i++) {
        nested(v.anyOf.get(i), false, false, index(child(path, "anyOf"), i), errs);
      }
    }
    for (int i = 0; i < v.allOf.size(); i++) {
      nested(
          v.allOf.get(i),
          skipFirstAllOfAnyOf && i == 0,
          false,
          index(child(path, "allOf"), i),
          errs);
    }
    for (int i = 0; i < v.oneOf.size(); i++) {
      nested(v.oneOf.get(i), false, false, index(child(path, "oneOf"), i), errs);
    }
    if (v.not != null) {
      nested(v.not, false, false, child(path, "not"), errs);
    }
    if (!v.pattern.isEmpty()) {
      try {
        com.google.re2j.Pattern.compile(v.pattern);
      } catch (PatternSyntaxException e) {
        errs.add(
            FieldError.invalid(
                child(path, "pattern"),
                v.pattern,
                "must be a valid regular expression, but isn't: " + e.getMessage()));
      }
    }
  }

  private static void nested(
      Schema v, boolean skipAnyOf, boolean skipAllOfAnyOf, String path, List<FieldError> errs) {
    if (v == null) {
      return;
    }
    valueValidation(v, skipAnyOf, skipAllOfAnyOf, path, errs);
    nested(v.items, false, false, child(path, "items"), errs);
    if (v.properties != null) {
      for (Map.Entry<String, Schema> e : v.properties.entrySet()) {
        nested(e.getValue(), false, false, key(child(path, "properties"), e.getKey()), errs);
      }
    }
    if (!v.type.isEmpty()) {
      errs.add(FieldError.forbidden(child(path, "type"), "must be empty to be structural"));
    }
    if (v.additionalProperties != null
        || (v.hasAdditionalProperties && v.additionalPropertiesAllows)) {
      errs.add(
          FieldError.forbidden(
              child(path, "additionalProperties"), "must be undefined to be structural"));
    }
    if (v.defaultValue != null && !v.defaultValue.isNull()) {
      errs.add(FieldError.forbidden(child(path, "default"), "must be undefined to be structural"));
    }
    if (!v.title.isEmpty()) {
      errs.add(FieldError.forbidden(child(path, "title"), "must be empty to be structural"));
    }
    if (!v.description.isEmpty()) {
      errs.add(FieldError.forbidden(child(path, "description"), "must be empty to be structural"));
    }
    if (v.nullable) {
      errs.add(FieldError.forbidden(child(path, "nullable"), "must be false to be structural"));
    }
    if (v.externalDocs) {
      errs.add(
          FieldError.forbidden(child(path, "externalDocs"), "must be undefined to be structural"));
    }
    if (v.xPreserveUnknownFields) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-preserve-unknown-fields"),
              "must be false to be structural"));
    }
    if (v.xEmbeddedResource) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-embedded-resource"), "must be false to be structural"));
    }
    if (v.xIntOrString) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-int-or-string"), "must be false to be structural"));
    }
    if (!v.xListMapKeys.isEmpty()) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-list-map-keys"), "must be empty to be structural"));
    }
    if (v.xListType != null) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-list-type"), "must be undefined to be structural"));
    }
    if (v.xMapType != null) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-map-type"), "must be undefined to be structural"));
    }
    if (!v.xValidations.isEmpty()) {
      errs.add(
          FieldError.forbidden(
              child(path, "x-kubernetes-validations"), "must be empty to be structural"));
    }
    if (v.properties != null && v.properties.containsKey("metadata")) {
      errs.add(
          FieldError.forbidden(
              key(child(path, "properties"), "metadata"),
              "must not be specified in a nested context"));
    }
  }

  /**
   * Every field or list that a value validation (allOf, anyOf, oneOf, not) at the root specifies
   * must be specified by the structure too. Upstream checks the root's junctors only.
   */
  private static void completeness(
      Schema v, Schema s, String sPath, String vPath, List<FieldError> errs) {
    if (v.not != null) {
      nestedCompleteness(v.not, s, sPath, child(vPath, "not"), errs);
    }
    for (int i = 0; i < v.allOf.size(); i++) {
      nestedCompleteness(v.allOf.get(i), s, sPath, index(child(vPath, "allOf"), i), errs);
    }
    for (int i = 0; i < v.anyOf.size(); i++) {
      nestedCompleteness(v.anyOf.get(i), s, sPath, index(child(vPath, "anyOf"), i), errs);
    }
    for (int i = 0; i < v.oneOf.size(); i++) {
      nestedCompleteness(v.oneOf.get(i), s, sPath, index(child(vPath, "oneOf"), i), errs);
    }
  }

  private static void nestedCompleteness(
      Schema v, Schema s, String sPath, String vPath, List<FieldError> errs) {
    if (v == null) {
      return;
    }
    if (s == null) {
      errs.add(FieldError.required(sPath, "because it is defined in " + vPath));
      return;
    }
    completeness(v, s, sPath, vPath, errs);
    nestedCompleteness(v.items, s.items, child(sPath, "items"), child(vPath, "items"), errs);
    if (v.properties != null) {
      for (Map.Entry<String, Schema> e : v.properties.entrySet()) {
        String k = e.getKey();
        Schema sFld = s.properties == null ? null : s.properties.get(k);
        String sp = key(child(sPath, "properties"), k);
        String vp = key(child(vPath, "properties"), k);
        if (sFld == null) {
          errs.add(FieldError.required(sp, "because it is defined in " + vp));
        } else {
          nestedCompleteness(e.getValue(), sFld, sp, vp, errs);
        }
      }
    }
  }
}
