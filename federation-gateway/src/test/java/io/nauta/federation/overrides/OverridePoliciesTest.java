package io.nauta.federation.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterOverridePolicy;
import io.nauta.federation.api.OverridePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OverridePoliciesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final ObjectNode DEPLOYMENT =
      (ObjectNode)
          JSON.readTree(
              """
              {"apiVersion":"apps/v1","kind":"Deployment",
               "metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
               "spec":{"replicas":3,"template":{"spec":{"containers":[
                 {"name":"main","image":"nginx:1.25"}]}}}}
              """);

  private static Cluster cluster(String name, String region, String labels) {
    return JSON.readValue(
        """
        {"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster",
         "metadata":{"name":"%s","labels":%s},"spec":{"region":"%s","zones":["%s-a"]}}
        """
            .formatted(name, labels, region, region),
        Cluster.class);
  }

  private static final Cluster USA = cluster("usa-3", "us", "{\"env\":\"prod\"}");
  private static final Cluster ASIA = cluster("asia-2", "asia", "{\"env\":\"test\"}");

  private static OverridePolicy op(String namespace, String name, String spec) {
    return JSON.readValue(
        """
        {"apiVersion":"policy.karmada.io/v1alpha1","kind":"OverridePolicy",
         "metadata":{"name":"%s","namespace":"%s"},"spec":%s}
        """
            .formatted(name, namespace, spec),
        OverridePolicy.class);
  }

  private static ClusterOverridePolicy cop(String name, String spec) {
    return JSON.readValue(
        """
        {"apiVersion":"policy.karmada.io/v1alpha1","kind":"ClusterOverridePolicy",
         "metadata":{"name":"%s"},"spec":%s}
        """
            .formatted(name, spec),
        ClusterOverridePolicy.class);
  }

  private static String tagRule(String target, String tag) {
    return """
        {"targetCluster":%s,
         "overriders":{"imageOverrider":[{"component":"Tag","operator":"replace","value":"%s"}]}}
        """
        .formatted(target, tag);
  }

  private static String image(OverridePolicies.Result r) {
    return r.object().at("/spec/template/spec/containers/0/image").asString();
  }

  @Test
  void aRuleAppliesOnlyToTheClustersItsTargetMatches() {
    OverridePolicy policy =
        op(
            "shop",
            "tag",
            "{\"overrideRules\":[" + tagRule("{\"clusterNames\":[\"usa-3\"]}", "v2") + "]}");
    assertThat(image(OverridePolicies.apply(DEPLOYMENT, USA, List.of(), List.of(policy))))
        .isEqualTo("nginx:v2");
    OverridePolicies.Result asia =
        OverridePolicies.apply(DEPLOYMENT, ASIA, List.of(), List.of(policy));
    assertThat(image(asia)).isEqualTo("nginx:1.25");
    assertThat(asia.overrides().toAnnotation()).isNull();
  }

  @Test
  void targetClusterMatchesLabelsFieldsAndExclusions() {
    String byLabel = tagRule("{\"labelSelector\":{\"matchLabels\":{\"env\":\"test\"}}}", "lbl");
    String byRegion =
        tagRule(
            "{\"fieldSelector\":{\"matchExpressions\":[{\"key\":\"region\",\"operator\":\"In\",\"values\":[\"us\"]}]}}",
            "reg");
    String byZone =
        tagRule(
            "{\"fieldSelector\":{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"asia-a\"]}]}}",
            "zone");
    String excluded = tagRule("{\"exclude\":[\"usa-3\"]}", "exc");
    for (var c :
        List.of(
            new Object[] {byLabel, "nginx:lbl", "nginx:1.25"},
            new Object[] {byRegion, "nginx:1.25", "nginx:reg"},
            new Object[] {byZone, "nginx:zone", "nginx:1.25"},
            new Object[] {excluded, "nginx:exc", "nginx:1.25"})) {
      OverridePolicy p = op("shop", "p", "{\"overrideRules\":[" + c[0] + "]}");
      assertThat(image(OverridePolicies.apply(DEPLOYMENT, ASIA, List.of(), List.of(p))))
          .as("asia with %s", c[0])
          .isEqualTo(c[1]);
      assertThat(image(OverridePolicies.apply(DEPLOYMENT, USA, List.of(), List.of(p))))
          .as("usa with %s", c[0])
          .isEqualTo(c[2]);
    }
  }

  @Test
  void theDeprecatedTargetClusterAndOverridersFormStillApplies() {
    OverridePolicy p =
        op(
            "shop",
            "old",
            """
            {"targetCluster":{"clusterNames":["asia-2"]},
             "overriders":{"labelsOverrider":[{"operator":"add","value":{"site":"asia"}}]}}
            """);
    assertThat(
            OverridePolicies.apply(DEPLOYMENT, ASIA, List.of(), List.of(p))
                .object()
                .at("/metadata/labels/site")
                .asString())
        .isEqualTo("asia");
    assertThat(
            OverridePolicies.apply(DEPLOYMENT, USA, List.of(), List.of(p))
                .object()
                .at("/metadata/labels/site")
                .isMissingNode())
        .isTrue();
  }

  @Test
  void clusterPoliciesApplyFirstThenNamespacedEachByName() {
    // Every policy replaces the tag; the last one applied wins. Namespaced policies come after
    // cluster-wide ones whatever their names, and within each kind "a" before "b".
    ClusterOverridePolicy copB =
        cop("b-cop", "{\"overrideRules\":[" + tagRule("null", "cop-b") + "]}");
    ClusterOverridePolicy copA =
        cop("a-cop", "{\"overrideRules\":[" + tagRule("null", "cop-a") + "]}");
    OverridePolicy opB =
        op("shop", "b-op", "{\"overrideRules\":[" + tagRule("null", "op-b") + "]}");
    OverridePolicy opA =
        op("shop", "a-op", "{\"overrideRules\":[" + tagRule("null", "op-a") + "]}");
    OverridePolicies.Result r =
        OverridePolicies.apply(DEPLOYMENT, USA, List.of(copB, copA), List.of(opB, opA));
    assertThat(image(r)).isEqualTo("nginx:op-b");
    assertThat(r.clusterOverrides().items())
        .extracting(AppliedOverrides.OverridePolicyShadow::policyName)
        .containsExactly("a-cop", "b-cop");
    assertThat(r.overrides().items())
        .extracting(AppliedOverrides.OverridePolicyShadow::policyName)
        .containsExactly("a-op", "b-op");
    assertThat(r.overrides().toAnnotation())
        .isEqualTo(
            "[{\"policyName\":\"a-op\",\"overriders\":{\"imageOverrider\":[{\"component\":\"Tag\","
                + "\"operator\":\"replace\",\"value\":\"op-a\"}]}},{\"policyName\":\"b-op\","
                + "\"overriders\":{\"imageOverrider\":[{\"component\":\"Tag\",\"operator\":"
                + "\"replace\",\"value\":\"op-b\"}]}}]");
  }

  @Test
  void aMoreSpecificSelectorAppliesLaterAndWinsOverName() {
    // "a-by-name" sorts first by name but names the object, so it applies last.
    OverridePolicy byName =
        op(
            "shop",
            "a-by-name",
            "{\"resourceSelectors\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"}],"
                + "\"overrideRules\":["
                + tagRule("null", "name")
                + "]}");
    OverridePolicy byLabel =
        op(
            "shop",
            "b-by-label",
            "{\"resourceSelectors\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}}}],"
                + "\"overrideRules\":["
                + tagRule("null", "label")
                + "]}");
    OverridePolicy all =
        op("shop", "c-all", "{\"overrideRules\":[" + tagRule("null", "all") + "]}");
    OverridePolicies.Result r =
        OverridePolicies.apply(DEPLOYMENT, USA, List.of(), List.of(byName, all, byLabel));
    assertThat(image(r)).isEqualTo("nginx:name");
    assertThat(r.overrides().items())
        .extracting(AppliedOverrides.OverridePolicyShadow::policyName)
        .containsExactly("c-all", "b-by-label", "a-by-name");
  }

  @Test
  void policiesThatSelectOtherObjectsOrLiveInOtherNamespacesDoNotApply() {
    OverridePolicy otherKind =
        op(
            "shop",
            "svc",
            "{\"resourceSelectors\":[{\"apiVersion\":\"v1\",\"kind\":\"Service\"}],"
                + "\"overrideRules\":["
                + tagRule("null", "svc")
                + "]}");
    OverridePolicy otherName =
        op(
            "shop",
            "api",
            "{\"resourceSelectors\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"api\"}],"
                + "\"overrideRules\":["
                + tagRule("null", "api")
                + "]}");
    OverridePolicy otherNamespace =
        op("bank", "ns", "{\"overrideRules\":[" + tagRule("null", "bank") + "]}");
    OverridePolicies.Result r =
        OverridePolicies.apply(
            DEPLOYMENT, USA, List.of(), List.of(otherKind, otherName, otherNamespace));
    assertThat(image(r)).isEqualTo("nginx:1.25");
    assertThat(r.overrides().isEmpty()).isTrue();
  }

  @Test
  void aFailingPolicyIsNamedInTheError() {
    OverridePolicy bad =
        op(
            "shop",
            "broken",
            """
            {"overrideRules":[{"overriders":{"plaintext":[
              {"path":"/spec/missing/deep","operator":"replace","value":1}]}}]}
            """);
    assertThatThrownBy(() -> OverridePolicies.apply(DEPLOYMENT, USA, List.of(), List.of(bad)))
        .isInstanceOf(OverrideException.class)
        .hasMessageContaining("override policy(shop/broken)");
  }
}
