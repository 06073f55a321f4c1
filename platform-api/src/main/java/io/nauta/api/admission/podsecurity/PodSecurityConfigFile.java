package io.nauta.api.admission.podsecurity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Pod Security's settings from the file kube-apiserver takes ({@code
 * --admission-control-config-file}): an {@code apiserver.config.k8s.io/v1} {@code
 * AdmissionConfiguration} whose {@code PodSecurity} plugin holds a {@code
 * pod-security.admission.config.k8s.io/v1} (or {@code v1beta1}) {@code PodSecurityConfiguration}
 * (inline under {@code configuration} or in the file {@code path} names, relative to this one), or
 * that {@code PodSecurityConfiguration} alone. As upstream's defaulting, a mode the file leaves out
 * is {@code privileged}, a version {@code latest}. A file that cannot be used stops the server at
 * start with the reason.
 */
final class PodSecurityConfigFile {

  private static final Set<String> VERSIONS =
      Set.of(
          "pod-security.admission.config.k8s.io/v1",
          "pod-security.admission.config.k8s.io/v1beta1");

  private PodSecurityConfigFile() {}

  static PodSecurityProperties read(Path file, boolean enabled) {
    JsonNode root = load(file);
    if ("AdmissionConfiguration".equals(root.path("kind").asString(""))) {
      JsonNode plugin = null;
      for (JsonNode p : root.path("plugins")) {
        if ("PodSecurity".equals(p.path("name").asString(""))) {
          plugin = p;
        }
      }
      if (plugin == null) {
        throw invalid(file, "names no PodSecurity plugin");
      }
      if (plugin.has("configuration")) {
        root = plugin.get("configuration");
      } else if (plugin.has("path")) {
        Path other = file.toAbsolutePath().getParent().resolve(plugin.path("path").asString(""));
        file = other;
        root = load(other);
      } else {
        throw invalid(file, "gives the PodSecurity plugin neither configuration nor path");
      }
    }
    String apiVersion = root.path("apiVersion").asString("");
    String kind = root.path("kind").asString("");
    if (!VERSIONS.contains(apiVersion) || !"PodSecurityConfiguration".equals(kind)) {
      throw invalid(
          file,
          "holds "
              + apiVersion
              + " "
              + kind
              + ", not a pod-security.admission.config.k8s.io/v1 PodSecurityConfiguration");
    }
    JsonNode d = root.path("defaults");
    JsonNode e = root.path("exemptions");
    PodSecurityProperties.Defaults defaults =
        new PodSecurityProperties.Defaults(
            text(d, "enforce", "privileged"),
            text(d, "enforce-version", "latest"),
            text(d, "audit", "privileged"),
            text(d, "audit-version", "latest"),
            text(d, "warn", "privileged"),
            text(d, "warn-version", "latest"));
    try {
      defaults.toPolicy();
    } catch (IllegalStateException bad) {
      throw invalid(file, bad.getMessage());
    }
    return new PodSecurityProperties(
        enabled,
        defaults,
        new PodSecurityProperties.Exemptions(
            list(e, "usernames"), list(e, "namespaces"), list(e, "runtimeClasses")),
        "");
  }

  private static JsonNode load(Path file) {
    try {
      JsonNode root = new YAMLMapper().readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw invalid(file, "holds no object");
      }
      return root;
    } catch (IOException | JacksonException e) {
      throw invalid(file, "cannot be read: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field, String otherwise) {
    String v = node.path(field).asString("");
    return v.isEmpty() ? otherwise : v;
  }

  private static List<String> list(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    node.path(field).forEach(v -> values.add(v.asString("")));
    return List.copyOf(values);
  }

  private static IllegalStateException invalid(Path file, String why) {
    return new IllegalStateException("Pod Security configuration file " + file + " " + why);
  }
}
