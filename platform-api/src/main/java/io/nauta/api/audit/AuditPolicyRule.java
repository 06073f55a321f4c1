package io.nauta.api.audit;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.List;
import java.util.Set;

/**
 * One rule of an audit {@link AuditPolicy}, matched exactly as Kubernetes' {@code ruleMatches}:
 * every list that is not empty must match. {@code users} and {@code userGroups} name the
 * authenticated user (not an impersonated one), {@code verbs} the request's verb; a rule with
 * {@code resources} or {@code namespaces} matches resource requests only, one with {@code
 * nonResourceURLs} other paths only ({@code /healthz*} ends in a wildcard).
 */
public record AuditPolicyRule(
    AuditLevel level,
    List<String> users,
    List<String> userGroups,
    List<String> verbs,
    List<GroupResources> resources,
    List<String> namespaces,
    List<String> nonResourceUrls,
    Set<AuditStage> omitStages) {

  /**
   * Resources of one API group: {@code pods}, {@code pods/log}, {@code pods/*} (pods and every
   * subresource of pods, as Kubernetes' checker matches it), {@code *}{@code /scale} (scale of any
   * resource), {@code *} (everything, subresources too); no resources means the whole group. {@code
   * resourceNames} narrows to those objects.
   */
  public record GroupResources(String group, List<String> resources, List<String> resourceNames) {
    public GroupResources {
      resources = List.copyOf(resources);
      resourceNames = List.copyOf(resourceNames);
    }

    boolean matches(String resource, String subresource, String name) {
      if (resources.isEmpty()) {
        return true;
      }
      if (!resourceNames.isEmpty() && !resourceNames.contains(name)) {
        return false;
      }
      String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
      for (String r : resources) {
        if (r.equals("*") || r.equals(combined)) {
          return true;
        }
        if (!subresource.isEmpty() && r.startsWith("*/") && r.substring(2).equals(subresource)) {
          return true;
        }
        if (r.endsWith("/*") && r.substring(0, r.length() - 2).equals(resource)) {
          return true;
        }
      }
      return false;
    }
  }

  public AuditPolicyRule {
    users = List.copyOf(users);
    userGroups = List.copyOf(userGroups);
    verbs = List.copyOf(verbs);
    resources = List.copyOf(resources);
    namespaces = List.copyOf(namespaces);
    nonResourceUrls = List.copyOf(nonResourceUrls);
    omitStages = Set.copyOf(omitStages);
  }

  boolean matches(AuthorizationAttributes request) {
    UserInfo user = request.user();
    if (!users.isEmpty() && !AuditPolicy.named(user, users)) {
      return false;
    }
    if (!userGroups.isEmpty()
        && (user == null || user.groups().stream().noneMatch(userGroups::contains))) {
      return false;
    }
    if (!verbs.isEmpty() && !verbs.contains(request.verb())) {
      return false;
    }
    if (!namespaces.isEmpty() || !resources.isEmpty()) {
      return matchesResource(request);
    }
    if (!nonResourceUrls.isEmpty()) {
      return !request.resourceRequest()
          && nonResourceUrls.stream().anyMatch(spec -> pathMatches(request.path(), spec));
    }
    return true;
  }

  private boolean matchesResource(AuthorizationAttributes request) {
    if (!request.resourceRequest()) {
      return false;
    }
    // A cluster-scoped resource has the empty namespace, which a rule may name as "".
    if (!namespaces.isEmpty() && !namespaces.contains(request.namespace())) {
      return false;
    }
    if (resources.isEmpty()) {
      return true;
    }
    for (GroupResources gr : resources) {
      if (gr.group().equals(request.apiGroup())
          && gr.matches(request.resource(), request.subresource(), request.name())) {
        return true;
      }
    }
    return false;
  }

  static boolean pathMatches(String path, String spec) {
    if (spec.equals("*") || spec.equals(path)) {
      return true;
    }
    return spec.endsWith("*") && path.startsWith(spec.substring(0, spec.length() - 1));
  }
}
