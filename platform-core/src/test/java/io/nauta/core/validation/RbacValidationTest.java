package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RBAC validation, case by case after Kubernetes' {@code pkg/apis/rbac/validation} tests. */
class RbacValidationTest {

  private static final String G = "rbac.authorization.k8s.io";

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  private static Role role(io.fabric8.kubernetes.api.model.rbac.PolicyRule rule) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName("r")
        .withNamespace("a")
        .endMetadata()
        .withRules(rule)
        .build();
  }

  @Test
  void validRoleHasNoErrors() {
    Role r =
        role(
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("pods")
                .withVerbs("get")
                .build());
    assertThat(Validators.forKind("Role").validate(r)).isEmpty();
  }

  @Test
  void ruleNeedsVerbsGroupsAndResources() {
    Role r = role(new PolicyRuleBuilder().build());
    assertThat(messages(Validators.forKind("Role").validate(r)))
        .containsExactly(
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[0].resources: Required value: resource rules must supply at least one resource");
  }

  @Test
  void nonResourceUrlsOnlyInClusterRoles() {
    var rule = new PolicyRuleBuilder().withNonResourceURLs("/healthz").withVerbs("get").build();
    assertThat(messages(Validators.forKind("Role").validate(role(rule))))
        .containsExactly(
            "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules"
                + " cannot apply to non-resource URLs");
    ClusterRole cr =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .withRules(rule)
            .build();
    assertThat(Validators.forKind("ClusterRole").validate(cr)).isEmpty();
  }

  @Test
  void aggregationRuleNeedsASelector() {
    ClusterRole cr =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .withNewAggregationRule()
            .endAggregationRule()
            .build();
    assertThat(messages(Validators.forKind("ClusterRole").validate(cr)))
        .containsExactly(
            "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector"
                + " required if aggregationRule is non-nil");
  }

  @Test
  void namesAreOnePathSegment() {
    ClusterRole cr =
        new ClusterRoleBuilder().withNewMetadata().withName("a/b").endMetadata().build();
    assertThat(messages(Validators.forKind("ClusterRole").validate(cr)))
        .containsExactly("metadata.name: Invalid value: \"a/b\": may not contain '/'");
    ClusterRole system =
        new ClusterRoleBuilder().withNewMetadata().withName("system:node").endMetadata().build();
    assertThat(Validators.forKind("ClusterRole").validate(system)).isEmpty();
  }

  private static RoleBindingBuilder binding() {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName("b")
        .withNamespace("a")
        .endMetadata()
        .withNewRoleRef(G, "ClusterRole", "view");
  }

  @Test
  void subjectsFollowTheirKindsRules() {
    RoleBinding b =
        binding()
            .addNewSubject(null, "User", "alice", null)
            .addNewSubject("", "Group", "devs", null)
            .addNewSubject(G, "ServiceAccount", "bot", null)
            .addNewSubject(null, "Robot", "r2", null)
            .addNewSubject(G, "User", "", null)
            .build();
    assertThat(messages(Validators.forKind("RoleBinding").validate(b)))
        .containsExactly(
            "subjects[0].apiGroup: Unsupported value: \"\": supported values:"
                + " \"rbac.authorization.k8s.io\"",
            "subjects[1].apiGroup: Unsupported value: \"\": supported values:"
                + " \"rbac.authorization.k8s.io\"",
            "subjects[2].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported"
                + " values: \"\"",
            "subjects[3].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\","
                + " \"User\", \"Group\"",
            "subjects[4].name: Required value");
  }

  @Test
  void clusterRoleBindingNeedsServiceAccountNamespaceAndAClusterRole() {
    ClusterRoleBinding b =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("b")
            .endMetadata()
            .withNewRoleRef(G, "Role", "r")
            .addNewSubject("", "ServiceAccount", "bot", null)
            .build();
    assertThat(messages(Validators.forKind("ClusterRoleBinding").validate(b)))
        .containsExactly(
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].namespace: Required value");
  }

  @Test
  void roleRefCannotChange() {
    RoleBinding old = binding().build();
    old.getMetadata().setResourceVersion("1");
    RoleBinding changed = binding().withNewRoleRef(G, "ClusterRole", "edit").build();
    changed.getMetadata().setResourceVersion("1");
    assertThat(messages(Validators.forKind("RoleBinding").validateUpdate(changed, old)))
        .containsExactly(
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef");
    assertThat(Validators.forKind("RoleBinding").validateUpdate(binding().build(), old)).isEmpty();
  }
}
