package io.nauta.api.security.rbac;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether one set of rules covers another, as Kubernetes' {@code validation.Covers} decides it for
 * escalation checks: each granted rule is broken down into atomic rules (one verb on one resource
 * of one group, or on one URL), and each must be covered by some rule the caller holds.
 */
public final class RuleCoverage {

  private RuleCoverage() {}

  /** The atomic rules of {@code servant} that {@code owner} does not cover; empty: covered. */
  public static List<PolicyRule> missing(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : servant) {
      for (PolicyRule atom : breakdown(rule)) {
        if (owner.stream().noneMatch(o -> covers(o, atom))) {
          missing.add(atom);
        }
      }
    }
    return missing;
  }

  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> out = new ArrayList<>();
    for (String group : rule.apiGroups()) {
      for (String resource : rule.resources()) {
        for (String verb : rule.verbs()) {
          if (rule.resourceNames().isEmpty()) {
            out.add(atom(verb, group, resource, List.of(), List.of()));
          }
          for (String name : rule.resourceNames()) {
            out.add(atom(verb, group, resource, List.of(name), List.of()));
          }
        }
      }
    }
    for (String url : rule.nonResourceURLs()) {
      for (String verb : rule.verbs()) {
        out.add(new PolicyRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
      }
    }
    return out;
  }

  private static PolicyRule atom(
      String verb, String group, String resource, List<String> names, List<String> urls) {
    return new PolicyRule(List.of(verb), List.of(group), List.of(resource), names, urls);
  }

  static boolean covers(PolicyRule owner, PolicyRule sub) {
    boolean verbs =
        owner.verbs().contains(PolicyRule.ALL) || owner.verbs().containsAll(sub.verbs());
    boolean groups =
        owner.apiGroups().contains(PolicyRule.ALL)
            || owner.apiGroups().containsAll(sub.apiGroups());
    boolean names =
        owner.resourceNames().isEmpty()
            || (!sub.resourceNames().isEmpty()
                && owner.resourceNames().containsAll(sub.resourceNames()));
    return verbs
        && groups
        && resourcesCover(owner.resources(), sub.resources())
        && names
        && urlsCover(owner.nonResourceURLs(), sub.nonResourceURLs());
  }

  private static boolean resourcesCover(List<String> owner, List<String> sub) {
    if (owner.contains(PolicyRule.ALL) || owner.containsAll(sub)) {
      return true;
    }
    for (String path : sub) {
      if (owner.contains(path)) {
        continue;
      }
      int slash = path.indexOf('/');
      if (slash < 0 || !owner.contains("*" + path.substring(slash))) {
        return false;
      }
    }
    return true;
  }

  private static boolean urlsCover(List<String> owner, List<String> sub) {
    for (String path : sub) {
      boolean covered = false;
      for (String o : owner) {
        if (o.equals(path)
            || (o.endsWith("*") && path.startsWith(o.substring(0, o.length() - 1)))) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  /**
   * The missing rules as Kubernetes lists them in its refusal: simple rules on the same group and
   * resource merged into one with all their verbs, each printed compactly, one per line.
   */
  public static String describe(List<PolicyRule> missing) {
    Map<List<String>, List<String>> verbsByTarget = new LinkedHashMap<>();
    List<PolicyRule> others = new ArrayList<>();
    for (PolicyRule r : missing) {
      if (r.resourceNames().isEmpty() && r.nonResourceURLs().isEmpty()) {
        List<String> verbs =
            verbsByTarget.computeIfAbsent(
                List.of(r.apiGroups().get(0), r.resources().get(0)), k -> new ArrayList<>());
        if (!verbs.contains(r.verbs().get(0))) {
          verbs.add(r.verbs().get(0));
        }
      } else {
        others.add(r);
      }
    }
    List<PolicyRule> compact = new ArrayList<>();
    verbsByTarget.forEach(
        (target, verbs) ->
            compact.add(
                new PolicyRule(
                    verbs, List.of(target.get(0)), List.of(target.get(1)), List.of(), List.of())));
    compact.addAll(others);
    return compact.stream()
        .map(RuleCoverage::compactString)
        .sorted(Comparator.naturalOrder())
        .collect(Collectors.joining("\n"));
  }

  /** {@code {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}}, as Go prints it. */
  static String compactString(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    if (!r.apiGroups().isEmpty()) {
      parts.add("APIGroups:" + goQuoted(r.apiGroups()));
    }
    if (!r.resources().isEmpty()) {
      parts.add("Resources:" + goQuoted(r.resources()));
    }
    if (!r.nonResourceURLs().isEmpty()) {
      parts.add("NonResourceURLs:" + goQuoted(r.nonResourceURLs()));
    }
    if (!r.resourceNames().isEmpty()) {
      parts.add("ResourceNames:" + goQuoted(r.resourceNames()));
    }
    if (!r.verbs().isEmpty()) {
      parts.add("Verbs:" + goQuoted(r.verbs()));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
  public static String goQuoted(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]"));
  }
}
