package io.nauta.api.audit;

import io.nauta.api.audit.AuditPolicyRule.GroupResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads an audit {@code Policy} file (YAML or JSON, {@code audit.k8s.io/v1}) and checks it as
 * Kubernetes' policy validation does. A file that cannot be used is an {@link
 * InvalidAuditPolicyException} naming the file and every problem, so the server refuses to start
 * rather than audit less than its operator asked for. Unknown fields are ignored, as Kubernetes'
 * decoder ignores them.
 */
public final class AuditPolicyFile {

  static final String API_VERSION = "audit.k8s.io/v1";

  /** A policy file that cannot be used; the message says which and why. */
  public static final class InvalidAuditPolicyException extends RuntimeException {
    InvalidAuditPolicyException(String message) {
      super(message);
    }
  }

  private AuditPolicyFile() {}

  public static AuditPolicy read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidAuditPolicyException(
          "audit policy file " + file + " cannot be read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses {@code text}; {@code source} names it in error messages. */
  public static AuditPolicy parse(String text, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(text);
    } catch (JacksonException e) {
      throw new InvalidAuditPolicyException(
          "audit policy file " + source + " is not YAML or JSON: " + e.getOriginalMessage());
    }
    List<String> errors = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidAuditPolicyException(
          "audit policy file " + source + " does not hold a Policy object");
    }
    String apiVersion = root.path("apiVersion").asString("");
    String kind = root.path("kind").asString("");
    if (!API_VERSION.equals(apiVersion) || !"Policy".equals(kind)) {
      errors.add(
          "apiVersion and kind must be "
              + API_VERSION
              + " Policy, not \""
              + apiVersion
              + "\" \""
              + kind
              + "\"");
    }
    Set<AuditStage> omitStages = stages(root.path("omitStages"), "omitStages", errors);
    List<AuditPolicyRule> rules = new ArrayList<>();
    JsonNode ruleNodes = root.path("rules");
    for (int i = 0; i < ruleNodes.size(); i++) {
      rules.add(rule(ruleNodes.get(i), "rules[" + i + "]", errors));
    }
    if (rules.isEmpty() && errors.isEmpty()) {
      // As Kubernetes: a policy that audits nothing is a mistake, not a way to turn audit off.
      errors.add("the policy has no rules");
    }
    if (!errors.isEmpty()) {
      throw new InvalidAuditPolicyException(
          "invalid audit policy file " + source + ": " + String.join("; ", errors));
    }
    return new AuditPolicy(rules, omitStages);
  }

  private static AuditPolicyRule rule(JsonNode node, String at, List<String> errors) {
    AuditLevel level = level(node.path("level"), at + ".level", errors);
    List<String> nonResourceUrls = strings(node.path("nonResourceURLs"));
    List<String> namespaces = strings(node.path("namespaces"));
    List<GroupResources> resources = new ArrayList<>();
    JsonNode resourceNodes = node.path("resources");
    for (int i = 0; i < resourceNodes.size(); i++) {
      resources.add(groupResources(resourceNodes.get(i), at + ".resources[" + i + "]", errors));
    }
    if (!nonResourceUrls.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
      errors.add(at + ": rules cannot apply to both regular resources and non-resource URLs");
    }
    for (String url : nonResourceUrls) {
      boolean wildcardInside = url.substring(0, Math.max(0, url.length() - 1)).contains("*");
      if (!(url.equals("*") || url.startsWith("/")) || wildcardInside) {
        errors.add(
            at
                + ".nonResourceURLs: \""
                + url
                + "\" must start with / (or be *) and may end, only end, in *");
      }
    }
    return new AuditPolicyRule(
        level == null ? AuditLevel.None : level,
        strings(node.path("users")),
        strings(node.path("userGroups")),
        strings(node.path("verbs")),
        resources,
        namespaces,
        nonResourceUrls,
        stages(node.path("omitStages"), at + ".omitStages", errors));
  }

  private static GroupResources groupResources(JsonNode node, String at, List<String> errors) {
    String group = node.path("group").asString("");
    if (group.contains("/")) {
      errors.add(at + ".group: \"" + group + "\" is a group, without a version");
    }
    List<String> resources = strings(node.path("resources"));
    List<String> names = strings(node.path("resourceNames"));
    if (!names.isEmpty()) {
      if (resources.isEmpty()) {
        errors.add(at + ".resourceNames: using resourceNames requires at least one resource");
      }
      if (resources.stream().anyMatch(r -> r.contains("*"))) {
        errors.add(at + ".resourceNames: using resourceNames with a wildcard resource");
      }
    }
    for (String r : resources) {
      String[] parts = r.split("/", -1);
      boolean ok =
          parts.length <= 2
              && Arrays.stream(parts).noneMatch(String::isEmpty)
              && !(parts.length == 1 && r.contains("*") && !r.equals("*"));
      if (!ok) {
        errors.add(at + ".resources: \"" + r + "\" is not a resource, resource/subresource or *");
      }
    }
    return new GroupResources(group, resources, names);
  }

  private static AuditLevel level(JsonNode node, String at, List<String> errors) {
    if (node.isMissingNode() || node.isNull() || node.asString("").isEmpty()) {
      errors.add(at + ": required (None, Metadata, Request or RequestResponse)");
      return null;
    }
    try {
      return AuditLevel.valueOf(node.asString());
    } catch (IllegalArgumentException e) {
      errors.add(
          at
              + ": \""
              + node.asString()
              + "\" is not one of None, Metadata, Request, RequestResponse");
      return null;
    }
  }

  private static Set<AuditStage> stages(JsonNode node, String at, List<String> errors) {
    EnumSet<AuditStage> stages = EnumSet.noneOf(AuditStage.class);
    for (String s : strings(node)) {
      try {
        stages.add(AuditStage.valueOf(s));
      } catch (IllegalArgumentException e) {
        errors.add(
            at
                + ": \""
                + s
                + "\" is not one of RequestReceived, ResponseStarted, ResponseComplete, Panic");
      }
    }
    return stages;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      out.add(n.asString(""));
    }
    return out;
  }
}
