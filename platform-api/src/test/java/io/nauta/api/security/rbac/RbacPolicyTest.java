package io.nauta.api.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Role resolution, after Kubernetes' {@code rule_test.go} and {@code rbac_test.go}. */
class RbacPolicyTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String s) {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private static final JsonNode POD_READER =
      json(
          "{'metadata':{'name':'pod-reader'},'rules':[{'apiGroups':[''],'resources':['pods'],'verbs':['get','list']}]}");
  private static final JsonNode LOCAL_ROLE =
      json(
          "{'metadata':{'name':'cm-writer','namespace':'a'},'rules':[{'apiGroups':[''],'resources':['configmaps'],'verbs':['create']}]}");

  private final RbacPolicy policy =
      RbacPolicy.of(
          List.of(LOCAL_ROLE),
          List.of(POD_READER),
          List.of(
              json(
                  "{'metadata':{'name':'bot-reads','namespace':'a'},'roleRef':{'kind':'ClusterRole','name':'pod-reader'},"
                      + "'subjects':[{'kind':'ServiceAccount','name':'bot'}]}"),
              json(
                  "{'metadata':{'name':'writers','namespace':'a'},'roleRef':{'kind':'Role','name':'cm-writer'},"
                      + "'subjects':[{'kind':'Group','name':'writers'}]}"),
              json(
                  "{'metadata':{'name':'dangling','namespace':'a'},'roleRef':{'kind':'Role','name':'gone'},"
                      + "'subjects':[{'kind':'User','name':'carol'}]}")),
          List.of(
              json(
                  "{'metadata':{'name':'alice-reads'},'roleRef':{'kind':'ClusterRole','name':'pod-reader'},"
                      + "'subjects':[{'kind':'User','name':'alice'},"
                      + "{'kind':'ServiceAccount','name':'other','namespace':'b'}]}")));

  private static AuthorizationAttributes list(UserInfo u, String ns) {
    return AuthorizationAttributes.resource(u, "list", "", "v1", "pods", "", ns, "");
  }

  @Test
  void clusterRoleBindingGrantsEverywhere() {
    UserInfo alice = new UserInfo("alice", List.of());
    assertThat(policy.allowedBy(list(alice, "a"))).isPresent();
    assertThat(policy.allowedBy(list(alice, ""))).isPresent();
    assertThat(policy.allowedBy(list(alice, "a")).get())
        .isEqualTo(
            "RBAC: allowed by ClusterRoleBinding \"alice-reads\" of ClusterRole \"pod-reader\" to"
                + " User \"alice\"");
    assertThat(
            policy.allowedBy(
                AuthorizationAttributes.resource(alice, "delete", "", "v1", "pods", "", "a", "x")))
        .isEmpty();
  }

  @Test
  void roleBindingToClusterRoleGrantsOnlyInItsNamespace() {
    UserInfo bot = new UserInfo("system:serviceaccount:a:bot", List.of("system:serviceaccounts"));
    assertThat(policy.allowedBy(list(bot, "a"))).isPresent();
    assertThat(policy.allowedBy(list(bot, "b"))).isEmpty();
    assertThat(policy.allowedBy(list(bot, ""))).isEmpty();
  }

  @Test
  void serviceAccountSubjectWithoutNamespaceMeansTheBindingsNamespace() {
    UserInfo sameNameElsewhere = new UserInfo("system:serviceaccount:b:bot", List.of());
    assertThat(policy.allowedBy(list(sameNameElsewhere, "a"))).isEmpty();
    UserInfo other = new UserInfo("system:serviceaccount:b:other", List.of());
    assertThat(policy.allowedBy(list(other, "c"))).isPresent();
  }

  @Test
  void groupsAreSubjects() {
    UserInfo dave = new UserInfo("dave", List.of("writers"));
    AuthorizationAttributes create =
        AuthorizationAttributes.resource(dave, "create", "", "v1", "configmaps", "", "a", "");
    assertThat(policy.allowedBy(create)).isPresent();
    assertThat(
            policy.allowedBy(
                AuthorizationAttributes.resource(
                    dave, "create", "", "v1", "configmaps", "", "b", "")))
        .isEmpty();
    assertThat(
            policy.allowedBy(
                new AuthorizationAttributes(
                    new UserInfo("writers", List.of()),
                    "create",
                    true,
                    "",
                    "v1",
                    "configmaps",
                    "",
                    "a",
                    "",
                    "")))
        .as("a user named like a group is not in it")
        .isEmpty();
  }

  @Test
  void bindingToAMissingRoleGrantsNothing() {
    assertThat(policy.allowedBy(list(new UserInfo("carol", List.of()), "a"))).isEmpty();
  }

  @Test
  void rulesForCollectsClusterAndNamespaceRules() {
    UserInfo both = new UserInfo("alice", List.of("writers"));
    assertThat(policy.rulesFor(both, "a")).hasSize(2);
    assertThat(policy.rulesFor(both, "b")).hasSize(1);
  }
}
