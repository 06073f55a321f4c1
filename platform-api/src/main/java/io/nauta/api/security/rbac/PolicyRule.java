package io.nauta.api.security.rbac;

import io.nauta.api.security.AuthorizationAttributes;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One rule of a Role or ClusterRole, and whether it allows a request, as Kubernetes' {@code
 * rbac.RuleAllows}: the verb, the API group, the resource (with {@code pods/log} naming a
 * subresource and {@code *}/{@code *}/subresource wildcards), the resource name, or for other paths
 * a non-resource URL (a trailing {@code *} matches any suffix).
 */
public record PolicyRule(
    List<String> verbs,
    List<String> apiGroups,
    List<String> resources,
    List<String> resourceNames,
    List<String> nonResourceURLs) {

  public static final String ALL = "*";

  public PolicyRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  /** Reads a rule from its JSON form in a stored role. */
  public static PolicyRule fromJson(JsonNode rule) {
    return new PolicyRule(
        strings(rule.path("verbs")),
        strings(rule.path("apiGroups")),
        strings(rule.path("resources")),
        strings(rule.path("resourceNames")),
        strings(rule.path("nonResourceURLs")));
  }

  /** The rules of a stored Role or ClusterRole. */
  public static List<PolicyRule> allFromRole(JsonNode role) {
    List<PolicyRule> out = new ArrayList<>();
    for (JsonNode r : role.path("rules")) {
      out.add(fromJson(r));
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array) {
      out.add(v.asString(""));
    }
    return out;
  }

  public boolean allows(AuthorizationAttributes a) {
    if (!verbMatches(a.verb())) {
      return false;
    }
    if (!a.resourceRequest()) {
      return nonResourceURLMatches(a.path());
    }
    String combined =
        a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    return apiGroupMatches(a.apiGroup())
        && resourceMatches(combined, a.subresource())
        && resourceNameMatches(a.name());
  }

  boolean verbMatches(String verb) {
    return verbs.contains(ALL) || verbs.contains(verb);
  }

  boolean apiGroupMatches(String group) {
    return apiGroups.contains(ALL) || apiGroups.contains(group);
  }

  boolean resourceMatches(String combined, String subresource) {
    for (String r : resources) {
      if (r.equals(ALL) || r.equals(combined)) {
        return true;
      }
      // "*/scale" grants the scale subresource of every resource.
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  boolean resourceNameMatches(String name) {
    return resourceNames.isEmpty() || resourceNames.contains(name);
  }

  boolean nonResourceURLMatches(String path) {
    for (String url : nonResourceURLs) {
      if (url.equals(ALL) || url.equals(path)) {
        return true;
      }
      if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
