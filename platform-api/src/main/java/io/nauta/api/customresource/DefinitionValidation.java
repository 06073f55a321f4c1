package io.nauta.api.customresource;

import io.nauta.api.customresource.schema.CompiledSchema;
import io.nauta.api.customresource.schema.SchemaCompiler;
import io.nauta.core.errors.FieldError;
import io.nauta.core.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' validation of a CustomResourceDefinition (apiextensions-apiserver's {@code
 * validation.go}), with its field paths and messages: the name is {@code <plural>.<group>}, the
 * group a domain, a scope, exactly one storage version, names that are DNS labels, a schema per
 * version (compiled by the structural-schema compiler), stored versions that exist. Conversion
 * {@code Webhook} is refused: Nauta converts only with {@code None}.
 */
final class DefinitionValidation {

  static final String NAME_MISMATCH = "must be spec.names.plural+\".\"+spec.group";

  private DefinitionValidation() {}

  static List<FieldError> validate(ObjectNode crd, ObjectNode old) {
    Definition d = Definition.of(crd);
    List<FieldError> errors = new ArrayList<>();
    String required = d.plural() + "." + d.group();
    if (!d.name().isEmpty() && !d.name().equals(required)) {
      errors.add(FieldError.invalid("metadata.name", d.name(), NAME_MISMATCH));
    }
    errors.addAll(spec(crd, d));
    errors.addAll(names(crd.path("status").path("acceptedNames"), "status.acceptedNames"));
    errors.addAll(storedVersions(crd, d));
    if (old != null) {
      errors.addAll(update(d, Definition.of(old), Conditions.isTrue(old, "Established")));
    }
    return errors;
  }

  private static List<FieldError> spec(ObjectNode crd, Definition d) {
    List<FieldError> errors = new ArrayList<>();
    if (d.group().isEmpty()) {
      errors.add(FieldError.required("spec.group", ""));
    } else if (!NameValidation.dns1123Subdomain(d.group()).isEmpty()) {
      errors.add(
          FieldError.invalid(
              "spec.group",
              d.group(),
              String.join(",", NameValidation.dns1123Subdomain(d.group()))));
    } else if (d.group().split("\\.").length < 2) {
      errors.add(
          FieldError.invalid("spec.group", d.group(), "should be a domain with at least one dot"));
    }
    if (d.scope().isEmpty()) {
      errors.add(FieldError.required("spec.scope", ""));
    } else if (!List.of("Cluster", "Namespaced").contains(d.scope())) {
      errors.add(
          FieldError.notSupported(
              "spec.scope", d.scope(), "supported values: \"Cluster\", \"Namespaced\""));
    }
    int storage = 0;
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    for (int i = 0; i < d.versions().size(); i++) {
      Definition.Version v = d.versions().get(i);
      String path = "spec.versions[" + i + "]";
      if (v.storage()) {
        storage++;
      }
      if (!seen.add(v.name())) {
        unique = false;
      }
      List<String> bad = NameValidation.dns1035Label(v.name());
      if (!bad.isEmpty()) {
        errors.add(FieldError.invalid(path + ".name", v.name(), String.join(",", bad)));
      }
      String schemaPath = path + ".schema.openAPIV3Schema";
      if (v.schema() == null) {
        errors.add(FieldError.required(schemaPath, "schemas are required"));
      } else {
        CompiledSchema compiled = SchemaCompiler.compile(v.schema(), schemaPath);
        errors.addAll(compiled.errors());
      }
      errors.addAll(PrinterColumnValidation.ofVersion(d, i));
    }
    VersionsValue versions = new VersionsValue(d.versions());
    if (!unique) {
      errors.add(
          FieldError.invalid("spec.versions", versions, "must contain unique version names"));
    }
    if (storage != 1) {
      errors.add(
          FieldError.invalid(
              "spec.versions",
              versions,
              "must have exactly one version marked as storage version"));
    }
    if (d.plural().isEmpty()) {
      errors.add(FieldError.required("spec.names.plural", ""));
    }
    if (d.singular().isEmpty()) {
      errors.add(FieldError.required("spec.names.singular", ""));
    }
    if (d.kind().isEmpty()) {
      errors.add(FieldError.required("spec.names.kind", ""));
    }
    if (d.listKind().isEmpty()) {
      errors.add(FieldError.required("spec.names.listKind", ""));
    }
    errors.addAll(names(crd.path("spec").path("names"), "spec.names"));
    errors.addAll(PrinterColumnValidation.shared(d));
    errors.addAll(conversion(crd.path("spec").path("conversion")));
    return errors;
  }

  /** ValidateCustomResourceDefinitionNames: each name a DNS-1035 label (kinds in any case). */
  private static List<FieldError> names(JsonNode names, String path) {
    List<FieldError> errors = new ArrayList<>();
    label(errors, path + ".plural", names.path("plural").asString(""), false);
    label(errors, path + ".singular", names.path("singular").asString(""), false);
    label(errors, path + ".kind", names.path("kind").asString(""), true);
    label(errors, path + ".listKind", names.path("listKind").asString(""), true);
    int i = 0;
    for (JsonNode s : names.path("shortNames")) {
      label(errors, path + ".shortNames[" + i++ + "]", s.asString(""), false);
    }
    String kind = names.path("kind").asString("");
    if (!kind.isEmpty() && kind.equals(names.path("listKind").asString(""))) {
      errors.add(
          FieldError.invalid(path + ".listKind", kind, "kind and listKind may not be the same"));
    }
    i = 0;
    for (JsonNode c : names.path("categories")) {
      label(errors, path + ".categories[" + i++ + "]", c.asString(""), false);
    }
    return errors;
  }

  private static void label(List<FieldError> errors, String path, String value, boolean mixedCase) {
    if (value.isEmpty()) {
      return;
    }
    List<String> bad =
        NameValidation.dns1035Label(mixedCase ? value.toLowerCase(Locale.ROOT) : value);
    if (!bad.isEmpty()) {
      String detail = String.join(",", bad);
      errors.add(
          FieldError.invalid(
              path,
              value,
              mixedCase ? "may have mixed case, but should otherwise match: " + detail : detail));
    }
  }

  private static List<FieldError> conversion(JsonNode conversion) {
    if (conversion.isMissingNode() || conversion.isNull()) {
      return List.of();
    }
    String strategy = conversion.path("strategy").asString("");
    if (strategy.isEmpty()) {
      return List.of(FieldError.required("spec.conversion.strategy", ""));
    }
    if (strategy.equals("Webhook")) {
      // Kubernetes accepts it and calls the webhook; Nauta cannot call one yet, and a definition
      // it would serve wrongly is better refused than stored.
      return List.of(
          FieldError.notSupported(
              "spec.conversion.strategy",
              strategy,
              "conversion webhooks are not supported by Nauta yet; supported values: \"None\""));
    }
    if (!strategy.equals("None")) {
      return List.of(
          FieldError.notSupported(
              "spec.conversion.strategy", strategy, "supported values: \"None\", \"Webhook\""));
    }
    if (conversion.has("webhook") && !conversion.get("webhook").isNull()) {
      return List.of(
          FieldError.forbidden(
              "spec.conversion.webhook", "should not be set when strategy is not set to Webhook"));
    }
    return List.of();
  }

  /** ValidateCustomResourceDefinitionStoredVersions. */
  private static List<FieldError> storedVersions(ObjectNode crd, Definition d) {
    List<String> stored = new ArrayList<>();
    crd.path("status").path("storedVersions").forEach(v -> stored.add(v.asString("")));
    String path = "status.storedVersions";
    if (stored.isEmpty()) {
      return List.of(
          FieldError.invalid(
              path, new GoValue("[]string(nil)"), "must have at least one stored version"));
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < stored.size(); i++) {
      index.put(stored.get(i), i);
    }
    for (Definition.Version v : d.versions()) {
      boolean present = index.containsKey(v.name());
      if (v.storage() && !present) {
        errors.add(
            FieldError.invalid(
                path, new VersionValue(v), "must have the storage version " + v.name()));
      }
      index.remove(v.name());
    }
    index.forEach(
        (v, i) ->
            errors.add(
                FieldError.invalid(path + "[" + i + "]", v, "must appear in spec.versions")));
    return errors;
  }

  /** ValidateCustomResourceDefinitionSpecUpdate: what storage depends on cannot change. */
  private static List<FieldError> update(Definition now, Definition was, boolean established) {
    List<FieldError> errors = new ArrayList<>();
    if (established) {
      immutable(errors, "spec.scope", now.scope(), was.scope());
      immutable(errors, "spec.names.kind", now.kind(), was.kind());
    }
    immutable(errors, "spec.group", now.group(), was.group());
    immutable(errors, "spec.names.plural", now.plural(), was.plural());
    return errors;
  }

  private static void immutable(List<FieldError> errors, String path, String now, String was) {
    if (!Objects.equals(now, was)) {
      errors.add(FieldError.immutable(path, now));
    }
  }

  /** A value printed as Go prints it, unquoted (e.g. {@code []string(nil)}). */
  record GoValue(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** One version as an error message shows it (see {@link VersionsValue}). */
  record VersionValue(Definition.Version version) {
    @Override
    public String toString() {
      return "apiextensions.CustomResourceDefinitionVersion{Name:\""
          + version.name()
          + "\", Served:"
          + version.served()
          + ", Storage:"
          + version.storage()
          + "}";
    }
  }

  /**
   * {@code spec.versions} as an error message shows it: Kubernetes prints the Go value; this prints
   * each version's name, served and storage flags in the same shape.
   */
  record VersionsValue(List<Definition.Version> versions) {
    @Override
    public String toString() {
      return versions.stream()
          .map(v -> new VersionValue(v).toString())
          .collect(
              Collectors.joining(", ", "[]apiextensions.CustomResourceDefinitionVersion{", "}"));
    }
  }
}
