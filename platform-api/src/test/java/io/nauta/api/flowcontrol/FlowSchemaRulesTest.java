package io.nauta.api.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import io.nauta.core.flowcontrol.FlowControlBootstrap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Requests classified by Kubernetes' own mandatory and suggested FlowSchemas. */
class FlowSchemaRulesTest {

  private static final List<FlowSchemaRules> SCHEMAS = bootstrap();

  private static List<FlowSchemaRules> bootstrap() {
    List<ObjectNode> all = new ArrayList<>(FlowControlBootstrap.mandatoryFlowSchemas());
    all.addAll(FlowControlBootstrap.suggestedFlowSchemas());
    return all.stream()
        .map(FlowSchemaRules::of)
        .sorted(
            Comparator.comparingInt(FlowSchemaRules::matchingPrecedence)
                .thenComparing(FlowSchemaRules::name))
        .toList();
  }

  private static String classify(AuthorizationAttributes a) {
    return SCHEMAS.stream().filter(f -> f.matches(a)).findFirst().orElseThrow().name();
  }

  private static UserInfo user(String name, String... groups) {
    List<String> g = new ArrayList<>(List.of(groups));
    g.add(UserInfo.AUTHENTICATED);
    return new UserInfo(name, g);
  }

  private static AuthorizationAttributes res(
      UserInfo u, String verb, String group, String resource, String sub, String ns) {
    return AuthorizationAttributes.resource(u, verb, group, "v1", resource, sub, ns, "");
  }

  @Test
  void requestsGoWhereKubernetesSendsThem() {
    UserInfo admin = user("nauta-admin", "system:masters");
    UserInfo node = user("system:node:n1", "system:nodes");
    UserInfo sa =
        user(
            "system:serviceaccount:team:builder",
            "system:serviceaccounts",
            "system:serviceaccounts:team");
    UserInfo kubeSystemSa =
        user(
            "system:serviceaccount:kube-system:endpoint-controller",
            "system:serviceaccounts",
            "system:serviceaccounts:kube-system");
    UserInfo scheduler = user("system:kube-scheduler");
    UserInfo someone = user("alice", "devs");
    UserInfo anonymous = new UserInfo(UserInfo.ANONYMOUS, List.of(UserInfo.UNAUTHENTICATED));

    record Case(AuthorizationAttributes request, String schema) {}
    List<Case> cases =
        List.of(
            new Case(res(admin, "list", "", "pods", "", ""), "exempt"),
            new Case(AuthorizationAttributes.nonResource(admin, "get", "/metrics"), "exempt"),
            new Case(AuthorizationAttributes.nonResource(anonymous, "get", "/readyz"), "probes"),
            new Case(
                AuthorizationAttributes.nonResource(anonymous, "post", "/readyz"),
                "global-default"),
            new Case(res(node, "update", "", "nodes", "status", ""), "system-node-high"),
            new Case(
                res(node, "update", "coordination.k8s.io", "leases", "", "kube-node-lease"),
                "system-node-high"),
            new Case(res(node, "list", "", "pods", "", ""), "system-nodes"),
            new Case(res(node, "get", "coordination.k8s.io", "leases", "", ""), "system-nodes"),
            new Case(
                res(scheduler, "update", "coordination.k8s.io", "leases", "", "kube-system"),
                "system-leader-election"),
            new Case(res(scheduler, "create", "", "bindings", "", "default"), "kube-scheduler"),
            new Case(
                res(kubeSystemSa, "update", "", "endpoints", "", "default"), "endpoint-controller"),
            new Case(
                res(kubeSystemSa, "update", "", "configmaps", "", "default"),
                "workload-leader-election"),
            new Case(
                res(kubeSystemSa, "list", "", "pods", "", "default"),
                "kube-system-service-accounts"),
            new Case(res(sa, "list", "", "pods", "", "team"), "service-accounts"),
            new Case(res(someone, "delete", "apps", "deployments", "", "team"), "global-default"),
            new Case(res(anonymous, "get", "", "namespaces", "", ""), "global-default"));
    for (Case c : cases) {
      assertThat(classify(c.request())).as(c.request().toString()).isEqualTo(c.schema());
    }
  }

  @Test
  void rulesMatchVerbsGroupsResourcesNamespacesAndUrlsAsKubernetesDoes() {
    ObjectNode fs = FlowControlBootstrap.suggestedFlowSchemas().get(0).deepCopy();
    ObjectNode rule = fs.withObject("/spec").withArray("rules").objectNode();
    fs.withObject("/spec").withArray("rules").removeAll().add(rule);
    rule.withArray("subjects")
        .addObject()
        .put("kind", "ServiceAccount")
        .putObject("serviceAccount")
        .put("namespace", "team")
        .put("name", "*");
    ObjectNode rr = rule.withArray("resourceRules").addObject();
    rr.withArray("verbs").add("get");
    rr.withArray("apiGroups").add("apps");
    rr.withArray("resources").add("deployments/scale");
    rr.withArray("namespaces").add("team");
    ObjectNode nr = rule.withArray("nonResourceRules").addObject();
    nr.withArray("verbs").add("get");
    nr.withArray("nonResourceURLs").add("/logs/*");
    FlowSchemaRules rules = FlowSchemaRules.of(fs);
    UserInfo sa = user("system:serviceaccount:team:any", "system:serviceaccounts");
    UserInfo other = user("system:serviceaccount:other:any", "system:serviceaccounts");
    assertThat(rules.matches(res(sa, "get", "apps", "deployments", "scale", "team"))).isTrue();
    assertThat(rules.matches(res(other, "get", "apps", "deployments", "scale", "team"))).isFalse();
    assertThat(rules.matches(res(sa, "get", "apps", "deployments", "", "team"))).isFalse();
    assertThat(rules.matches(res(sa, "update", "apps", "deployments", "scale", "team"))).isFalse();
    assertThat(rules.matches(res(sa, "get", "", "deployments", "scale", "team"))).isFalse();
    assertThat(rules.matches(res(sa, "get", "apps", "deployments", "scale", "elsewhere")))
        .isFalse();
    // Cluster-scoped only with clusterScope.
    assertThat(rules.matches(res(sa, "get", "apps", "deployments", "scale", ""))).isFalse();
    assertThat(rules.matches(AuthorizationAttributes.nonResource(sa, "get", "/logs/today")))
        .isTrue();
    assertThat(rules.matches(AuthorizationAttributes.nonResource(sa, "get", "/logsx"))).isFalse();
  }

  @Test
  void flowsAreByUserOrByNamespace() {
    FlowSchemaRules byUser =
        SCHEMAS.stream().filter(f -> f.name().equals("service-accounts")).findFirst().orElseThrow();
    FlowSchemaRules byNamespace =
        SCHEMAS.stream().filter(f -> f.name().equals("kube-scheduler")).findFirst().orElseThrow();
    AuthorizationAttributes a = res(user("u"), "list", "", "pods", "", "ns1");
    assertThat(byUser.distinguisher(a)).isEqualTo("u");
    assertThat(byNamespace.distinguisher(a)).isEqualTo("ns1");
  }

  @Test
  void nominalLimitsShareTheServerLimitByShares() {
    // Kubernetes' defaults: 600 seats over 245 shares (exempt has none).
    assertThat(FlowControlConfigSource.nominalConcurrencyLimit(600, 100, 245)).isEqualTo(245);
    assertThat(FlowControlConfigSource.nominalConcurrencyLimit(600, 5, 245)).isEqualTo(13);
    assertThat(FlowControlConfigSource.nominalConcurrencyLimit(600, 20, 245)).isEqualTo(49);
  }
}
