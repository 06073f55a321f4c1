package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code rbac.authorization.k8s.io/v1} kinds, as Kubernetes' {@code pkg/apis/rbac/validation}
 * checks them. Objects arrive defaulted: subjects' and {@code roleRef}'s {@code apiGroup} are
 * filled where Kubernetes' defaulting fills them.
 */
public final class RbacValidation {

  public static final String GROUP = "rbac.authorization.k8s.io";

  private RbacValidation() {}

  /** Role: namespaced rules, which cannot name non-resource URLs. */
  public static final class RoleValidation implements Validator<Role> {
    @Override
    public List<FieldError> validate(Role role) {
      List<FieldError> errs = meta(role, true);
      errs.addAll(rules(role.getRules(), true));
      return errs;
    }
  }

  /** ClusterRole: rules, and an aggregation rule with at least one well-formed selector. */
  public static final class ClusterRoleValidation implements Validator<ClusterRole> {
    @Override
    public List<FieldError> validate(ClusterRole role) {
      List<FieldError> errs = meta(role, false);
      errs.addAll(rules(role.getRules(), false));
      AggregationRule aggregation = role.getAggregationRule();
      if (aggregation != null) {
        List<LabelSelector> selectors =
            MetadataValidation.orEmpty(aggregation.getClusterRoleSelectors());
        if (selectors.isEmpty()) {
          errs.add(
              FieldError.required(
                  "aggregationRule.clusterRoleSelectors",
                  "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }
        for (int i = 0; i < selectors.size(); i++) {
          errs.addAll(
              LabelSelectorValidation.validate(
                  selectors.get(i), "aggregationRule.clusterRoleSelectors[" + i + "]"));
        }
      }
      return errs;
    }
  }

  /** RoleBinding: a Role or ClusterRole reference that never changes, and valid subjects. */
  public static final class RoleBindingValidation implements Validator<RoleBinding> {
    @Override
    public List<FieldError> validate(RoleBinding binding) {
      List<FieldError> errs = meta(binding, true);
      errs.addAll(roleRef(binding.getRoleRef(), List.of("Role", "ClusterRole")));
      errs.addAll(subjects(binding.getSubjects(), true));
      return errs;
    }

    @Override
    public List<FieldError> validateUpdate(RoleBinding obj, RoleBinding old) {
      List<FieldError> errs = Validator.super.validateUpdate(obj, old);
      errs.addAll(roleRefUnchanged(obj.getRoleRef(), old.getRoleRef()));
      return errs;
    }
  }

  /** ClusterRoleBinding: only a ClusterRole may be referenced; ServiceAccounts name a namespace. */
  public static final class ClusterRoleBindingValidation implements Validator<ClusterRoleBinding> {
    @Override
    public List<FieldError> validate(ClusterRoleBinding binding) {
      List<FieldError> errs = meta(binding, false);
      errs.addAll(roleRef(binding.getRoleRef(), List.of("ClusterRole")));
      errs.addAll(subjects(binding.getSubjects(), false));
      return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ClusterRoleBinding obj, ClusterRoleBinding old) {
      List<FieldError> errs = Validator.super.validateUpdate(obj, old);
      errs.addAll(roleRefUnchanged(obj.getRoleRef(), old.getRoleRef()));
      return errs;
    }
  }

  private static List<FieldError> meta(HasMetadata obj, boolean namespaced) {
    return new ArrayList<>(
        MetadataValidation.validate(obj.getMetadata(), NameRule.PATH_SEGMENT, namespaced));
  }

  /** {@code ValidatePolicyRule}: verbs always; either non-resource URLs or groups + resources. */
  static List<FieldError> rules(List<PolicyRule> rules, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    List<PolicyRule> all = MetadataValidation.orEmpty(rules);
    for (int i = 0; i < all.size(); i++) {
      PolicyRule rule = all.get(i);
      String path = "rules[" + i + "]";
      if (MetadataValidation.orEmpty(rule.getVerbs()).isEmpty()) {
        errs.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
      }
      List<String> urls = MetadataValidation.orEmpty(rule.getNonResourceURLs());
      if (!urls.isEmpty()) {
        if (namespaced) {
          errs.add(
              FieldError.invalid(
                  path + ".nonResourceURLs",
                  GoValue.slice(urls),
                  "namespaced rules cannot apply to non-resource URLs"));
        }
        if (!MetadataValidation.orEmpty(rule.getApiGroups()).isEmpty()
            || !MetadataValidation.orEmpty(rule.getResources()).isEmpty()
            || !MetadataValidation.orEmpty(rule.getResourceNames()).isEmpty()) {
          errs.add(
              FieldError.invalid(
                  path + ".nonResourceURLs",
                  GoValue.slice(urls),
                  "rules cannot apply to both regular resources and non-resource URLs"));
        }
        continue;
      }
      if (MetadataValidation.orEmpty(rule.getApiGroups()).isEmpty()) {
        errs.add(
            FieldError.required(
                path + ".apiGroups", "resource rules must supply at least one api group"));
      }
      if (MetadataValidation.orEmpty(rule.getResources()).isEmpty()) {
        errs.add(
            FieldError.required(
                path + ".resources", "resource rules must supply at least one resource"));
      }
    }
    return errs;
  }

  private static List<FieldError> roleRef(RoleRef ref, List<String> kinds) {
    List<FieldError> errs = new ArrayList<>();
    RoleRef r = ref == null ? new RoleRef() : ref;
    String group = Objects.toString(r.getApiGroup(), "");
    if (!group.equals(GROUP)) {
      errs.add(
          FieldError.notSupported(
              "roleRef.apiGroup", group, EnumValidation.supported(List.of(GROUP))));
    }
    String kind = Objects.toString(r.getKind(), "");
    if (!kinds.contains(kind)) {
      errs.add(FieldError.notSupported("roleRef.kind", kind, EnumValidation.supported(kinds)));
    }
    String name = Objects.toString(r.getName(), "");
    if (name.isEmpty()) {
      errs.add(FieldError.required("roleRef.name", ""));
    } else {
      for (String msg : NameValidation.pathSegment(name)) {
        errs.add(FieldError.invalid("roleRef.name", name, msg));
      }
    }
    return errs;
  }

  /**
   * A binding's role is fixed for its life: Kubernetes refuses the change so that "who may bind
   * what" is decided once, when the binding is created. The value reads as Kubernetes prints it.
   */
  private static List<FieldError> roleRefUnchanged(RoleRef now, RoleRef was) {
    RoleRef n = now == null ? new RoleRef() : now;
    RoleRef w = was == null ? new RoleRef() : was;
    if (Objects.equals(n.getApiGroup(), w.getApiGroup())
        && Objects.equals(n.getKind(), w.getKind())
        && Objects.equals(n.getName(), w.getName())) {
      return List.of();
    }
    return List.of(
        FieldError.invalid("roleRef", new GoValue(goRoleRef(n)), "cannot change roleRef"));
  }

  private static String goRoleRef(RoleRef r) {
    return "rbac.RoleRef{APIGroup:"
        + GoValue.quoted(r.getApiGroup())
        + ", Kind:"
        + GoValue.quoted(r.getKind())
        + ", Name:"
        + GoValue.quoted(r.getName())
        + "}";
  }

  private static List<FieldError> subjects(List<Subject> subjects, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    List<Subject> all = MetadataValidation.orEmpty(subjects);
    for (int i = 0; i < all.size(); i++) {
      Subject s = all.get(i);
      String path = "subjects[" + i + "]";
      String name = Objects.toString(s.getName(), "");
      String group = Objects.toString(s.getApiGroup(), "");
      if (name.isEmpty()) {
        errs.add(FieldError.required(path + ".name", ""));
      }
      switch (Objects.toString(s.getKind(), "")) {
        case "ServiceAccount" -> {
          if (!name.isEmpty()) {
            for (String msg : NameValidation.dns1123Subdomain(name)) {
              errs.add(FieldError.invalid(path + ".name", name, msg));
            }
          }
          if (!group.isEmpty()) {
            errs.add(
                FieldError.notSupported(
                    path + ".apiGroup", group, EnumValidation.supported(List.of(""))));
          }
          if (!namespaced && Objects.toString(s.getNamespace(), "").isEmpty()) {
            errs.add(FieldError.required(path + ".namespace", ""));
          }
        }
        case "User", "Group" -> {
          if (!group.equals(GROUP)) {
            errs.add(
                FieldError.notSupported(
                    path + ".apiGroup", group, EnumValidation.supported(List.of(GROUP))));
          }
        }
        default ->
            errs.add(
                FieldError.notSupported(
                    path + ".kind",
                    Objects.toString(s.getKind(), ""),
                    EnumValidation.supported(List.of("ServiceAccount", "User", "Group"))));
      }
    }
    return errs;
  }
}
