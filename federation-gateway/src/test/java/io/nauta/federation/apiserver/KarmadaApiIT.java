package io.nauta.federation.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import io.nauta.federation.support.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Karmada's kinds on a running gateway, driven with kubectl as a Karmada user would: installed as
 * CustomResourceDefinitions, Karmada's manifests applied unchanged, listed with Karmada's columns
 * and short names, a field Nauta does not implement refused with 422 naming it, and the RBAC the
 * federation controllers and users get.
 */
class KarmadaApiIT {

  private static TestGateway gateway;
  private static Kubectl kubectl;

  /** Karmada's "propagate a deployment" example (docs: get-started / nginx-propagation). */
  private static final String PROPAGATION_POLICY =
      """
      apiVersion: policy.karmada.io/v1alpha1
      kind: PropagationPolicy
      metadata:
        name: nginx-propagation
      spec:
        resourceSelectors:
          - apiVersion: apps/v1
            kind: Deployment
            name: nginx
        placement:
          clusterAffinity:
            clusterNames:
              - member1
              - member2
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
                  weight: 1
      """;

  private static final String CLUSTER =
      """
      apiVersion: cluster.karmada.io/v1alpha1
      kind: Cluster
      metadata:
        name: member1
        labels:
          region: us-east
      spec:
        apiEndpoint: https://127.0.0.1:6443
        syncMode: Push
        region: us-east
        secretRef:
          namespace: karmada-cluster
          name: member1
      """;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("nauta.federation.api-recheck-period=1s");
    kubectl = new Kubectl(gateway.kubeconfig());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void installsKarmadasKindsAsCustomResourceDefinitions() {
    Kubectl.Result crds = kubectl.run("get", "crd", "-o", "name");
    assertThat(crds.exitCode()).as(crds.toString()).isZero();
    assertThat(crds.stdout())
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/clusters.cluster.karmada.io",
            "propagationpolicies.policy.karmada.io",
            "clusterpropagationpolicies.policy.karmada.io",
            "overridepolicies.policy.karmada.io",
            "clusteroverridepolicies.policy.karmada.io",
            "resourcebindings.work.karmada.io",
            "clusterresourcebindings.work.karmada.io",
            "serviceexports.multicluster.x-k8s.io",
            "serviceimports.multicluster.x-k8s.io");
  }

  @Test
  void appliesKarmadasPropagationPolicyAndListsItWithKarmadasColumns() {
    Kubectl.Result applied = kubectl.runWithInput(PROPAGATION_POLICY, "apply", "-f", "-");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.stdout()).contains("propagationpolicy.policy.karmada.io/nginx-propagation");

    Kubectl.Result pp = kubectl.run("get", "pp");
    assertThat(pp.exitCode()).as(pp.toString()).isZero();
    assertThat(pp.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "CONFLICT-RESOLUTION", "PRIORITY", "AGE");
    // Karmada's defaults: Abort, priority 0.
    assertThat(pp.stdout()).containsPattern("nginx-propagation\\s+Abort\\s+0\\s+");

    Kubectl.Result back =
        kubectl.run(
            "get",
            "propagationpolicy",
            "nginx-propagation",
            "-o",
            "jsonpath={.spec.placement.replicaScheduling.weightPreference.staticWeightList[1]"
                + ".targetCluster.clusterNames[0]}");
    assertThat(back.stdout()).isEqualTo("member2");
  }

  @Test
  void listsClustersAndBindingsWithKarmadasColumns() {
    Kubectl.Result applied = kubectl.runWithInput(CLUSTER, "apply", "-f", "-");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    Kubectl.Result clusters = kubectl.run("get", "clusters");
    assertThat(clusters.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "VERSION", "MODE", "READY", "AGE");
    assertThat(clusters.stdout()).containsPattern("member1\\s+Push\\s+\\d+s");

    for (String kind : new String[] {"rb", "crb"}) {
      Kubectl.Result none = kubectl.run("get", kind, "-A");
      assertThat(none.exitCode()).as(none.toString()).isZero();
    }
    Kubectl.Result columns =
        kubectl.run(
            "get",
            "crd",
            "resourcebindings.work.karmada.io",
            "-o",
            "jsonpath={.spec.versions[0].additionalPrinterColumns[*].name}");
    assertThat(columns.stdout()).isEqualTo("SCHEDULED FULLYAPPLIED AGE");
    for (String shortName : new String[] {"cpp", "op", "cop"}) {
      Kubectl.Result r = kubectl.run("get", shortName, "-A");
      assertThat(r.exitCode()).as(shortName + ": " + r).isZero();
    }
  }

  @Test
  void refusesAFieldThatWouldChangePlacementWith422NamingIt() {
    String withAffinities =
        PROPAGATION_POLICY
            .replace("nginx-propagation", "with-affinities")
            .replace(
                "  placement:\n",
                "  placement:\n    clusterAffinities:\n      - affinityName: primary\n"
                    + "        clusterNames: [member1]\n");
    Kubectl.Result refused = kubectl.runWithInput(withAffinities, "apply", "-f", "-");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains("spec.placement.clusterAffinities")
        .contains("not implemented");
    assertThat(kubectl.run("get", "pp", "with-affinities").exitCode()).isNotZero();

    // Spreading by label is refused; by provider (the scheduler groups by it) it is taken.
    Kubectl.Result byLabelRefused =
        kubectl.runWithInput(
            spreading("spread-by-label", "spreadByLabel: tier"), "apply", "-f", "-");
    assertThat(byLabelRefused.exitCode()).isNotZero();
    assertThat(byLabelRefused.stderr())
        .contains("spec.placement.spreadConstraints[0].spreadByLabel")
        .contains("not implemented");
    Kubectl.Result byProviderTaken =
        kubectl.runWithInput(
            spreading("spread-by-provider", "spreadByField: provider"), "apply", "-f", "-");
    assertThat(byProviderTaken.exitCode()).as(byProviderTaken.toString()).isZero();
    assertThat(
            kubectl
                .run(
                    "get",
                    "pp",
                    "spread-by-provider",
                    "-o",
                    "jsonpath={.spec.placement.spreadConstraints[0].spreadByField}")
                .stdout())
        .isEqualTo("provider");
    assertThat(kubectl.run("delete", "pp", "spread-by-provider").exitCode()).isZero();

    gateway
        .client()
        .post()
        .uri("/apis/cluster.karmada.io/v1alpha1/clusters")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            """
            {"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster",
             "metadata":{"name":"pulled"},
             "spec":{"syncMode":"Pull","apiEndpoint":"https://127.0.0.1:1"}}
            """)
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.reason")
        .isEqualTo("Invalid")
        .jsonPath("$.details.causes[0].field")
        .isEqualTo("spec.syncMode");
  }

  /** The policy named {@code name} with one spread constraint by {@code by}. */
  private static String spreading(String name, String by) {
    return PROPAGATION_POLICY
        .replace("nginx-propagation", name)
        .replace(
            "  placement:\n",
            "  placement:\n    spreadConstraints:\n      - "
                + by
                + "\n        maxGroups: 2\n        minGroups: 1\n");
  }

  @Test
  void givesTheControllersAndUsersRightsOnKarmadasKinds() {
    for (String[] can :
        new String[][] {
          {"update", "clusters/status"},
          {"create", "resourcebindings.work.karmada.io"},
          {"list", "propagationpolicies.policy.karmada.io"},
          {"patch", "deployments.apps"},
          {"update", "deployments.apps/status"},
          {"list", "secrets"},
        }) {
      Kubectl.Result r =
          kubectl.run(
              "auth", "can-i", can[0], can[1], "-A", "--as", "system:kube-controller-manager");
      assertThat(r.stdout().trim()).as(String.join(" ", can) + ": " + r).isEqualTo("yes");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        kubectl
                            .run("get", "clusterrole", "edit", "-o", "jsonpath={.rules}")
                            .stdout())
                    .contains("propagationpolicies"));
    assertThat(kubectl.run("get", "clusterrole", "view", "-o", "jsonpath={.rules}").stdout())
        .contains("resourcebindings");
  }

  @Test
  void putsBackADefinitionChangedUnderIt() {
    Kubectl.Result patched =
        kubectl.run(
            "patch",
            "crd",
            "overridepolicies.policy.karmada.io",
            "--type=json",
            "-p",
            "[{\"op\":\"remove\",\"path\":\"/spec/names/shortNames\"}]");
    assertThat(patched.exitCode()).as(patched.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        kubectl
                            .run(
                                "get",
                                "crd",
                                "overridepolicies.policy.karmada.io",
                                "-o",
                                "jsonpath={.spec.names.shortNames}")
                            .stdout())
                    .contains("op"));
  }
}
