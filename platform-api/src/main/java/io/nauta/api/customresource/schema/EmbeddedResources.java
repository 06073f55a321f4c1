package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks the objects of {@code x-kubernetes-embedded-resource} fields as apiextensions' {@code
 * objectmeta.Validate} does: apiVersion and kind present, strings, well-formed; metadata an object
 * whose name and generateName are valid path segments. Labels and annotations of embedded objects
 * are not checked here.
 */
final class EmbeddedResources {
  private EmbeddedResources() {}

  private static final Pattern DNS1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final String DNS1035_MESSAGE =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or"
          + " 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

  static void validate(String path, JsonNode x, Schema s, List<FieldError> errs) {
    if (s == null || x == null || !s.hasEmbeddedResources) {
      return;
    }
    if (x.isObject()) {
      if (s.xEmbeddedResource) {
        resource(path, x, errs);
      }
      for (Map.Entry<String, JsonNode> e : x.properties()) {
        Schema prop = s.properties == null ? null : s.properties.get(e.getKey());
        if (prop != null) {
          validate(Paths.child(path, e.getKey()), e.getValue(), prop, errs);
        } else if (s.hasAdditionalProperties) {
          validate(Paths.key(path, e.getKey()), e.getValue(), s.additionalProperties, errs);
        }
      }
    } else if (x.isArray()) {
      for (int i = 0; i < x.size(); i++) {
        validate(Paths.index(path, i), x.get(i), s.items, errs);
      }
    }
  }

  private static void resource(String path, JsonNode x, List<FieldError> errs) {
    String apiVersionPath = Paths.child(path, "apiVersion");
    String kindPath = Paths.child(path, "kind");
    if (!x.has("apiVersion")) {
      errs.add(FieldError.required(apiVersionPath, ""));
    }
    if (!x.has("kind")) {
      errs.add(FieldError.required(kindPath, ""));
    }
    for (Map.Entry<String, JsonNode> e : x.properties()) {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "apiVersion" -> {
          if (!v.isString()) {
            errs.add(FieldError.invalid(apiVersionPath, GoText.badValue(v), "must be a string"));
          } else if (v.asString().isEmpty()) {
            errs.add(FieldError.invalid(apiVersionPath, "", "must not be empty"));
          } else if (v.asString().chars().filter(c -> c == '/').count() > 1) {
            errs.add(
                FieldError.invalid(
                    apiVersionPath,
                    v.asString(),
                    "unexpected GroupVersion string: " + v.asString()));
          }
        }
        case "kind" -> {
          if (!v.isString()) {
            errs.add(FieldError.invalid(kindPath, GoText.badValue(v), "must be a string"));
          } else if (v.asString().isEmpty()) {
            errs.add(FieldError.invalid(kindPath, "", "must not be empty"));
          } else {
            String lower = v.asString().toLowerCase(Locale.ROOT);
            StringBuilder problems = new StringBuilder();
            if (lower.length() > 63) {
              problems.append("must be no more than 63 characters");
            }
            if (!DNS1035.matcher(lower).matches()) {
              problems.append(problems.length() > 0 ? "," : "").append(DNS1035_MESSAGE);
            }
            if (problems.length() > 0) {
              errs.add(
                  FieldError.invalid(
                      kindPath,
                      v.asString(),
                      "may have mixed case, but should otherwise match: " + problems));
            }
          }
        }
        case "metadata" -> metadata(Paths.child(path, "metadata"), v, errs);
        default -> {}
      }
    }
  }

  private static void metadata(String path, JsonNode meta, List<FieldError> errs) {
    if (!meta.isObject()) {
      errs.add(FieldError.invalid(path, GoText.badValue(meta), "must be an object"));
      return;
    }
    JsonNode name = meta.get("name");
    if (name != null && name.isString() && !name.asString().isEmpty()) {
      for (String msg : pathSegment(name.asString(), false)) {
        errs.add(FieldError.invalid(Paths.child(path, "name"), name.asString(), msg));
      }
    }
    JsonNode gen = meta.get("generateName");
    if (gen != null && gen.isString() && !gen.asString().isEmpty()) {
      for (String msg : pathSegment(gen.asString(), true)) {
        errs.add(FieldError.invalid(Paths.child(path, "generateName"), gen.asString(), msg));
      }
    }
  }

  /** apimachinery's {@code IsPathSegmentName} / {@code IsPathSegmentPrefix}. */
  private static List<String> pathSegment(String name, boolean prefix) {
    List<String> out = new java.util.ArrayList<>();
    if (!prefix) {
      if (name.equals(".") || name.equals("..")) {
        out.add("may not be '" + name + "'");
      }
    }
    for (String bad : List.of("/", "%")) {
      if (name.contains(bad)) {
        out.add("may not contain '" + bad + "'");
      }
    }
    return out;
  }
}
