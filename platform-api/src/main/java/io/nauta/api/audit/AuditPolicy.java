package io.nauta.api.audit;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An audit {@code Policy} ({@code audit.k8s.io/v1}): the rules in order, the first that matches a
 * request decides its level and the stages left out; no rule matching means {@code None}. The
 * policy's own {@code omitStages} are added to every rule's (Kubernetes' {@code
 * policy/checker.go}). Read from a file by {@link AuditPolicyFile}.
 */
public record AuditPolicy(List<AuditPolicyRule> rules, Set<AuditStage> omitStages) {

  /** What a request is audited at. */
  public record Decision(AuditLevel level, Set<AuditStage> omitStages) {
    public boolean logs(AuditStage stage) {
      return level != AuditLevel.None && !omitStages.contains(stage);
    }
  }

  public AuditPolicy {
    rules = List.copyOf(rules);
    omitStages = omitStages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(omitStages));
  }

  public Decision evaluate(AuthorizationAttributes request) {
    for (AuditPolicyRule rule : rules) {
      if (rule.matches(request)) {
        Set<AuditStage> omitted =
            omitStages.isEmpty() && rule.omitStages().isEmpty()
                ? Set.of()
                : union(omitStages, rule.omitStages());
        return new Decision(rule.level(), omitted);
      }
    }
    return new Decision(AuditLevel.None, omitStages);
  }

  private static Set<AuditStage> union(Set<AuditStage> a, Set<AuditStage> b) {
    EnumSet<AuditStage> all = EnumSet.noneOf(AuditStage.class);
    all.addAll(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** Whether {@code user} is one of {@code names} (null when security is off: no user matches). */
  static boolean named(UserInfo user, List<String> names) {
    return user != null && names.contains(user.name());
  }
}
