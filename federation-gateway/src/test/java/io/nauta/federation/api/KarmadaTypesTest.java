package io.nauta.federation.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Karmada's manifests, as its documentation writes them, read into the records and back. */
class KarmadaTypesTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String PROPAGATION_POLICY =
      """
      apiVersion: policy.karmada.io/v1alpha1
      kind: PropagationPolicy
      metadata:
        name: nginx-propagation
        namespace: default
      spec:
        resourceSelectors:
          - apiVersion: apps/v1
            kind: Deployment
            name: nginx
        propagateDeps: true
        conflictResolution: Overwrite
        placement:
          clusterAffinity:
            clusterNames:
              - member1
              - member2
            exclude:
              - member3
            fieldSelector:
              matchExpressions:
                - key: region
                  operator: In
                  values: [cn-south-1]
          clusterTolerations:
            - key: cluster.karmada.io/not-ready
              operator: Exists
              effect: NoExecute
              tolerationSeconds: 30
          spreadConstraints:
            - spreadByField: cluster
              maxGroups: 2
              minGroups: 1
          replicaScheduling:
            replicaDivisionPreference: Weighted
            replicaSchedulingType: Divided
            weightPreference:
              staticWeightList:
                - targetCluster:
                    clusterNames:
                      - member1
                  weight: 1
                - targetCluster:
                    clusterNames:
                      - member2
                  weight: 2
      """;

  private static final String OVERRIDE_POLICY =
      """
      apiVersion: policy.karmada.io/v1alpha1
      kind: OverridePolicy
      metadata:
        name: example
        namespace: default
      spec:
        resourceSelectors:
          - apiVersion: apps/v1
            kind: Deployment
            name: nginx
        overrideRules:
          - targetCluster:
              clusterNames:
                - member1
            overriders:
              imageOverrider:
                - component: Registry
                  operator: replace
                  value: test-repo
              plaintext:
                - path: /spec/replicas
                  operator: replace
                  value: 3
              labelsOverrider:
                - operator: add
                  value:
                    env: test
      """;

  @Test
  void readsAPropagationPolicyAsKarmadasDocsWriteIt() {
    PropagationPolicy pp = YAML.readValue(PROPAGATION_POLICY, PropagationPolicy.class);

    assertThat(pp.getKind()).isEqualTo(Karmada.KIND_PROPAGATION_POLICY);
    assertThat(pp.getApiVersion()).isEqualTo(Karmada.POLICY_API_VERSION);
    assertThat(pp.getMetadata().getName()).isEqualTo("nginx-propagation");
    PropagationSpec spec = pp.spec();
    assertThat(spec.propagateDeps()).isTrue();
    assertThat(spec.conflictResolution()).isEqualTo(Karmada.CONFLICT_OVERWRITE);
    ClusterAffinity affinity = spec.placement().clusterAffinity();
    assertThat(affinity.clusterNames()).containsExactly("member1", "member2");
    assertThat(affinity.exclude()).containsExactly("member3");
    assertThat(affinity.fieldSelector().matchExpressions().get(0).getValues())
        .containsExactly("cn-south-1");
    assertThat(spec.placement().clusterTolerations().get(0).getTolerationSeconds()).isEqualTo(30);
    assertThat(spec.placement().spreadConstraints().get(0).maxGroups()).isEqualTo(2);
    ReplicaSchedulingStrategy rs = spec.placement().replicaScheduling();
    assertThat(rs.replicaSchedulingType()).isEqualTo(Karmada.REPLICA_SCHEDULING_DIVIDED);
    assertThat(rs.weightPreference().staticWeightList())
        .extracting(StaticClusterWeight::weight)
        .containsExactly(1L, 2L);
  }

  @Test
  void writesBackExactlyWhatItRead() {
    for (var c :
        List.of(
            Map.entry(PROPAGATION_POLICY, PropagationPolicy.class),
            Map.entry(OVERRIDE_POLICY, OverridePolicy.class))) {
      JsonNode original = YAML.readTree(c.getKey());
      Object read = YAML.readValue(c.getKey(), c.getValue());
      // No extra properties (fabric8's HasMetadata getters) and nothing lost.
      // Compared as re-read text: a Long component writes 1 as a long node, YAML reads an int one.
      assertThat(JSON.readTree(JSON.writeValueAsString(read)))
          .isEqualTo(JSON.readTree(JSON.writeValueAsString(original)));
    }
  }

  @Test
  void keepsOverriderValuesAsJson() {
    OverridePolicy op = YAML.readValue(OVERRIDE_POLICY, OverridePolicy.class);
    Overriders o = op.spec().overrideRules().get(0).overriders();
    assertThat(o.imageOverrider().get(0).component()).isEqualTo(Karmada.IMAGE_COMPONENT_REGISTRY);
    assertThat(o.plaintext().get(0).value().asInt()).isEqualTo(3);
    assertThat(o.labelsOverrider().get(0).value()).containsEntry("env", "test");
  }

  @Test
  void aClusterWithStatusRoundTripsWithQuantitiesConditionsAndTaints() {
    Cluster cluster =
        new Cluster(
            new ObjectMetaBuilder().withName("usa-3").build(),
            new ClusterSpec(
                null,
                Karmada.SYNC_MODE_PUSH,
                "https://127.0.0.1:6443",
                new LocalSecretReference("karmada-cluster", "usa-3"),
                null,
                null,
                null,
                null,
                null,
                "us-east",
                null,
                null,
                List.of(
                    new TaintBuilder()
                        .withKey(Karmada.TAINT_CLUSTER_NOT_READY)
                        .withEffect(Karmada.TAINT_EFFECT_NO_SCHEDULE)
                        .build()),
                null),
            new ClusterStatus(
                "v1.33.0",
                null,
                null,
                new NodeSummary(3, 2),
                new ResourceSummary(
                    Map.of("cpu", new Quantity("8"), "memory", new Quantity("16Gi")),
                    null,
                    Map.of("cpu", new Quantity("500m")),
                    null),
                null));
    String json = JSON.writeValueAsString(cluster);
    JsonNode tree = JSON.readTree(json);
    assertThat(tree.path("apiVersion").asString()).isEqualTo("cluster.karmada.io/v1alpha1");
    assertThat(tree.path("kind").asString()).isEqualTo("Cluster");
    assertThat(tree.path("spec").has("id")).isFalse();
    assertThat(tree.path("status").path("resourceSummary").path("allocated").path("cpu").asString())
        .isEqualTo("500m");
    Cluster back = JSON.readValue(json, Cluster.class);
    assertThat(back).isEqualTo(cluster);
    assertThat(back.withStatus(null).status()).isNull();
  }
}
