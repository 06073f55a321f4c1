package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowcontrol.apiserver.k8s.io/v1} served like every kind, with Kubernetes' mandatory and
 * suggested objects kept as its configuration producer keeps them: tables as kubectl prints them,
 * validation, the status subresource, and the objects restored after a change, a deletion or Redis
 * going back in time, unless a suggested one opted out with {@code
 * apf.kubernetes.io/autoupdate-spec: "false"}.
 */
class FlowControlObjectsIT {

  @TempDir Path dir;

  private static Kubectl.Result run(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void kubectlListsTheBootstrapObjectsAsTables() {
    // The Dangling conditions are written from the watch cache, which may not yet hold the schemas
    // the same pass created: the next check sets them.
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis("nauta.flowcontrol.bootstrap-recheck-period=2s")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  kubectl.run("get", "flowschema", "global-default", "-o", "name").exitCode() == 0
                      && kubectl
                          .run("get", "flowschema", "exempt", "-o", "jsonpath={.status.conditions}")
                          .stdout()
                          .contains("Dangling"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !kubectl.run("get", "flowschemas").stdout().contains("?"));
      Kubectl.Result tables = run(kubectl, "get", "flowschemas,prioritylevelconfigurations");
      String out = tables.stdout();
      assertThat(out)
          .containsPattern(
              "NAME +PRIORITYLEVEL +MATCHINGPRECEDENCE +DISTINGUISHERMETHOD +AGE +MISSINGPL")
          .containsPattern(
              "flowschema.flowcontrol.apiserver.k8s.io/exempt +exempt +1 +<none> +\\S+ +False")
          .containsPattern("flowschema.flowcontrol.apiserver.k8s.io/probes +exempt +2 +<none>")
          .containsPattern(
              "flowschema.flowcontrol.apiserver.k8s.io/service-accounts +workload-low +9000 +ByUser")
          .containsPattern(
              "flowschema.flowcontrol.apiserver.k8s.io/kube-scheduler +workload-high +800 +ByNamespace")
          .containsPattern(
              "flowschema.flowcontrol.apiserver.k8s.io/catch-all +catch-all +10000 +ByUser")
          .containsPattern(
              "NAME +TYPE +NOMINALCONCURRENCYSHARES +QUEUES +HANDSIZE +QUEUELENGTHLIMIT +AGE")
          .containsPattern(
              "prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/exempt +Exempt +<none> +<none> +<none> +<none>")
          .containsPattern(
              "prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/catch-all +Limited +5 +<none> +<none> +<none>")
          .containsPattern(
              "prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/workload-low +Limited +100 +128 +6 +50")
          .containsPattern(
              "prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/leader-election +Limited +10 +16 +4 +50");
      // Kubernetes' 13 flow schemas and 8 priority levels, no more.
      assertThat(run(kubectl, "get", "flowschemas", "-o", "name").stdout().lines()).hasSize(13);
      assertThat(run(kubectl, "get", "prioritylevelconfigurations", "-o", "name").stdout().lines())
          .hasSize(8);
      assertThat(
              run(
                      kubectl,
                      "get",
                      "flowschema",
                      "catch-all",
                      "-o",
                      "jsonpath={.metadata.annotations.apf\\.kubernetes\\.io/autoupdate-spec}")
                  .stdout())
          .isEqualTo("true");
    }
  }

  @Test
  void validationRefusesWhatKubernetesRefuses() {
    try (TestApiServer server = TestApiServer.startOnEmptyRedis()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      Kubectl.Result tooHigh =
          kubectl.runWithInput(
              """
              apiVersion: flowcontrol.apiserver.k8s.io/v1
              kind: FlowSchema
              metadata: {name: too-high}
              spec:
                matchingPrecedence: 20000
                priorityLevelConfiguration: {name: global-default}
                distinguisherMethod: {type: ByGroup}
                rules:
                - subjects: [{kind: Group, group: {name: team}}]
                  resourceRules:
                  - verbs: ["*", get]
                    apiGroups: ["*"]
                    resources: ["*"]
              """,
              "create",
              "-f",
              "-");
      assertThat(tooHigh.exitCode()).isNotZero();
      assertThat(tooHigh.stderr())
          .contains("The FlowSchema \"too-high\" is invalid")
          .contains("spec.matchingPrecedence: Invalid value: 20000: must not be greater than 10000")
          .contains(
              "spec.distinguisherMethod.type: Unsupported value:"
                  + " flowcontrol.FlowDistinguisherMethod{Type:\"ByGroup\"}")
          .contains("if '*' is present, must not specify other verbs")
          .contains(
              "resource rules that are not cluster scoped must supply at least one namespace");

      Kubectl.Result handTooBig =
          kubectl.runWithInput(
              """
              apiVersion: flowcontrol.apiserver.k8s.io/v1
              kind: PriorityLevelConfiguration
              metadata: {name: hand-too-big}
              spec:
                type: Limited
                limited:
                  limitResponse:
                    type: Queue
                    queuing: {queues: 4, handSize: 5}
              """,
              "create",
              "-f",
              "-");
      assertThat(handTooBig.exitCode()).isNotZero();
      assertThat(handTooBig.stderr())
          .contains("spec.limited.limitResponse.queuing.handSize: Invalid value: 5")
          .contains("should not be greater than queues (4)");

      Kubectl.Result mandatory =
          kubectl.run(
              "patch",
              "flowschema",
              "exempt",
              "--type=merge",
              "-p",
              "{\"spec\":{\"matchingPrecedence\":5}}");
      assertThat(mandatory.exitCode()).isNotZero();
      assertThat(mandatory.stderr()).contains("spec of 'exempt' must equal the fixed value");

      // Defaults as Kubernetes' v1 defaulting fills them.
      Kubectl.Result defaulted =
          kubectl.runWithInput(
              """
              apiVersion: flowcontrol.apiserver.k8s.io/v1
              kind: PriorityLevelConfiguration
              metadata: {name: defaulted}
              spec:
                type: Limited
                limited:
                  limitResponse: {type: Queue, queuing: {}}
              """,
              "create",
              "-f",
              "-",
              "-o",
              "jsonpath={.spec.limited.nominalConcurrencyShares} {.spec.limited.lendablePercent}"
                  + " {.spec.limited.limitResponse.queuing}");
      assertThat(defaulted.exitCode()).as(defaulted.toString()).isZero();
      assertThat(defaulted.stdout())
          .isEqualTo("30 0 {\"handSize\":8,\"queueLengthLimit\":50,\"queues\":64}");
    }
  }

  @Test
  void theServerRestoresChangedDefaultsUnlessTheyOptedOutAndMarksDanglingSchemas() {
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis("nauta.flowcontrol.bootstrap-recheck-period=1s")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kubectl.run("get", "flowschema", "global-default").exitCode() == 0);
      run(kubectl, "delete", "prioritylevelconfiguration", "catch-all");
      run(
          kubectl,
          "patch",
          "prioritylevelconfiguration",
          "workload-low",
          "--type=merge",
          "-p",
          "{\"spec\":{\"limited\":{\"nominalConcurrencyShares\":7}}}");
      run(
          kubectl,
          "patch",
          "prioritylevelconfiguration",
          "workload-high",
          "--type=merge",
          "-p",
          "{\"metadata\":{\"annotations\":{\"apf.kubernetes.io/autoupdate-spec\":\"false\"}},"
              + "\"spec\":{\"limited\":{\"nominalConcurrencyShares\":9}}}");
      run(kubectl, "delete", "flowschema", "probes");
      kubectl.runWithInput(
          """
          apiVersion: flowcontrol.apiserver.k8s.io/v1
          kind: FlowSchema
          metadata: {name: nowhere}
          spec:
            priorityLevelConfiguration: {name: no-such-level}
            rules:
            - subjects: [{kind: User, user: {name: nobody}}]
              nonResourceRules: [{verbs: [get], nonResourceURLs: [/nowhere/*]}]
          """,
          "create",
          "-f",
          "-");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(
                        kubectl
                            .run(
                                "get",
                                "prioritylevelconfiguration",
                                "catch-all",
                                "workload-low",
                                "workload-high",
                                "-o",
                                "jsonpath={.items[*].spec.limited.nominalConcurrencyShares}")
                            .stdout())
                    .isEqualTo("5 100 9");
                assertThat(kubectl.run("get", "flowschema", "probes").exitCode()).isZero();
                assertThat(kubectl.run("get", "flowschema", "nowhere").stdout())
                    .containsPattern("nowhere +no-such-level +1000 +<none> +\\S+ +True");
              });
      assertThat(
              run(
                      kubectl,
                      "get",
                      "flowschema",
                      "nowhere",
                      "-o",
                      "jsonpath={.status.conditions[0].message}")
                  .stdout())
          .isEqualTo(
              "This FlowSchema references the PriorityLevelConfiguration object named"
                  + " \"no-such-level\" but there is no such object");
    }
  }

  @Test
  void theObjectsComeBackAtOnceWhenRedisGoesBackInTime() {
    // Periodic checks far beyond the test's wait: only the rewind can bring them back.
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "nauta.flowcontrol.bootstrap-recheck-period=1h",
            "nauta.rbac.bootstrap-recheck-period=1h",
            "nauta.system-namespaces.recheck-period=1h")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kubectl.run("get", "flowschema", "global-default").exitCode() == 0);
      TestRedis.flush();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  kubectl.run("get", "flowschema", "global-default").exitCode() == 0
                      && kubectl.run("get", "prioritylevelconfiguration", "exempt").exitCode()
                          == 0);
    }
  }
}
