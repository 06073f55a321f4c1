package io.nauta.api.flowcontrol;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One FlowSchema, read once from its object into what matching needs, with Kubernetes' matching
 * rules ({@code util/flowcontrol/rule.go}): a request matches when one of its rules names the user
 * (by name, group or service account) and covers the request (resource rules for a resource
 * request, non-resource rules otherwise).
 */
record FlowSchemaRules(
    String name,
    String uid,
    int matchingPrecedence,
    String priorityLevel,
    String distinguisherMethod,
    List<Rule> rules) {

  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  record Subject(String kind, String name, String namespace) {}

  record ResourceRule(
      List<String> verbs,
      List<String> apiGroups,
      List<String> resources,
      boolean clusterScope,
      List<String> namespaces) {}

  record NonResourceRule(List<String> verbs, List<String> urls) {}

  record Rule(
      List<Subject> subjects,
      List<ResourceRule> resourceRules,
      List<NonResourceRule> nonResource) {}

  static FlowSchemaRules of(JsonNode fs) {
    JsonNode spec = fs.path("spec");
    List<Rule> rules = new ArrayList<>();
    for (JsonNode r : spec.path("rules")) {
      List<Subject> subjects = new ArrayList<>();
      for (JsonNode s : r.path("subjects")) {
        String kind = s.path("kind").asString("");
        switch (kind) {
          case "User" ->
              subjects.add(new Subject(kind, s.path("user").path("name").asString(""), ""));
          case "Group" ->
              subjects.add(new Subject(kind, s.path("group").path("name").asString(""), ""));
          case "ServiceAccount" ->
              subjects.add(
                  new Subject(
                      kind,
                      s.path("serviceAccount").path("name").asString(""),
                      s.path("serviceAccount").path("namespace").asString("")));
          default -> {}
        }
      }
      List<ResourceRule> resources = new ArrayList<>();
      for (JsonNode rr : r.path("resourceRules")) {
        resources.add(
            new ResourceRule(
                strings(rr.path("verbs")),
                strings(rr.path("apiGroups")),
                strings(rr.path("resources")),
                rr.path("clusterScope").asBoolean(false),
                strings(rr.path("namespaces"))));
      }
      List<NonResourceRule> nonResources = new ArrayList<>();
      for (JsonNode nr : r.path("nonResourceRules")) {
        nonResources.add(
            new NonResourceRule(strings(nr.path("verbs")), strings(nr.path("nonResourceURLs"))));
      }
      rules.add(new Rule(List.copyOf(subjects), List.copyOf(resources), List.copyOf(nonResources)));
    }
    String method = spec.path("distinguisherMethod").path("type").asString("");
    return new FlowSchemaRules(
        fs.path("metadata").path("name").asString(""),
        fs.path("metadata").path("uid").asString(""),
        spec.path("matchingPrecedence").asInt(1000),
        spec.path("priorityLevelConfiguration").path("name").asString(""),
        method.isEmpty() ? null : method,
        List.copyOf(rules));
  }

  boolean matches(AuthorizationAttributes request) {
    for (Rule rule : rules) {
      if (matchesSubject(request.user(), rule.subjects())
          && (request.resourceRequest()
              ? rule.resourceRules().stream().anyMatch(r -> matchesResource(request, r))
              : rule.nonResource().stream().anyMatch(r -> matchesNonResource(request, r)))) {
        return true;
      }
    }
    return false;
  }

  /** The flow a request belongs to within this schema: by user, by namespace, or one for all. */
  String distinguisher(AuthorizationAttributes request) {
    if ("ByUser".equals(distinguisherMethod)) {
      return request.user().name();
    }
    if ("ByNamespace".equals(distinguisherMethod)) {
      return request.namespace();
    }
    return "";
  }

  private static boolean matchesSubject(UserInfo user, List<Subject> subjects) {
    for (Subject s : subjects) {
      switch (s.kind()) {
        case "User" -> {
          if (s.name().equals("*") || s.name().equals(user.name())) {
            return true;
          }
        }
        case "Group" -> {
          if (s.name().equals("*") || user.groups().contains(s.name())) {
            return true;
          }
        }
        case "ServiceAccount" -> {
          if (matchesServiceAccount(user.name(), s)) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  private static boolean matchesServiceAccount(String userName, Subject s) {
    if (!userName.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      return false;
    }
    String[] parts = userName.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return false;
    }
    return s.namespace().equals(parts[0]) && (s.name().equals("*") || s.name().equals(parts[1]));
  }

  private static boolean matchesResource(AuthorizationAttributes a, ResourceRule r) {
    if (!containsOrAll(r.verbs(), a.verb())) {
      return false;
    }
    String resource =
        a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    if (!containsOrAll(r.resources(), resource) || !containsOrAll(r.apiGroups(), a.apiGroup())) {
      return false;
    }
    if (a.namespace().isEmpty()) {
      return r.clusterScope();
    }
    return containsOrAll(r.namespaces(), a.namespace());
  }

  private static boolean matchesNonResource(AuthorizationAttributes a, NonResourceRule r) {
    if (!containsOrAll(r.verbs(), a.verb())) {
      return false;
    }
    for (String url : r.urls()) {
      if (url.equals("*") || url.equals(a.path())) {
        return true;
      }
      if (url.endsWith("*") && a.path().startsWith(url.substring(0, url.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsOrAll(List<String> values, String value) {
    return values.contains("*") || values.contains(value);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString("")));
    return List.copyOf(out);
  }
}
