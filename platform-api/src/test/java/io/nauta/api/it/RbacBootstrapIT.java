package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default RBAC policy is reconciled at every start, as Kubernetes' bootstrap-roles hook does:
 * what was deleted comes back, what was changed is restored, unless the object opted out with
 * {@code rbac.authorization.kubernetes.io/autoupdate: "false"}.
 */
class RbacBootstrapIT {

  @TempDir Path dir;

  private static Kubectl.Result run(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void restartRestoresChangedDefaultsUnlessTheyOptedOut() {
    try (TestApiServer first = TestApiServer.startOnEmptyRedis()) {
      Kubectl kubectl = new Kubectl(first.kubeconfig(dir));
      run(kubectl, "delete", "clusterrolebinding", "system:kube-scheduler");
      run(
          kubectl,
          "patch",
          "clusterrole",
          "system:basic-user",
          "--type=json",
          "-p",
          "[{\"op\":\"replace\",\"path\":\"/rules\",\"value\":[]}]");
      run(
          kubectl,
          "annotate",
          "--overwrite",
          "clusterrole",
          "system:public-info-viewer",
          "rbac.authorization.kubernetes.io/autoupdate=false");
      run(
          kubectl,
          "patch",
          "clusterrole",
          "system:public-info-viewer",
          "--type=json",
          "-p",
          "[{\"op\":\"replace\",\"path\":\"/rules/0/nonResourceURLs\",\"value\":[\"/healthz\",\"/readyz\"]}]");
    }
    try (TestApiServer second = TestApiServer.start()) {
      Kubectl kubectl = new Kubectl(second.kubeconfig(dir));
      Kubectl.Result binding =
          run(kubectl, "get", "clusterrolebinding", "system:kube-scheduler", "-o", "wide");
      assertThat(binding.stdout()).contains("ClusterRole/system:kube-scheduler");
      Kubectl.Result basic = run(kubectl, "get", "clusterrole", "system:basic-user", "-o", "yaml");
      assertThat(basic.stdout()).contains("selfsubjectaccessreviews", "selfsubjectrulesreviews");
      Kubectl.Result kept =
          run(
              kubectl,
              "get",
              "clusterrole",
              "system:public-info-viewer",
              "-o",
              "jsonpath={.rules[0].nonResourceURLs}");
      assertThat(kept.stdout()).isEqualTo("[\"/healthz\",\"/readyz\"]");
      // The opted-out role now answers only what it still lists.
      second.anonymousClient().get().uri("/readyz").exchange().expectStatus().isOk();
      second.anonymousClient().get().uri("/version").exchange().expectStatus().isForbidden();
    }
  }

  @Test
  void theRunningServerRestoresThePolicyAtOnceWhenItsCachesSeeRedisGoBackInTime() {
    // Periodic checks far beyond the test's wait: only the rewind can bring the policy back.
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "nauta.rbac.bootstrap-recheck-period=1h",
            "nauta.system-namespaces.recheck-period=1h")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      run(kubectl, "get", "clusterrolebinding", "system:kube-controller-manager");
      TestRedis.flush();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  kubectl
                          .run("get", "clusterrolebinding", "system:kube-controller-manager")
                          .exitCode()
                      == 0);
      run(kubectl, "get", "clusterrole", "system:kube-controller-manager", "-o", "name");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> kubectl.run("get", "namespace", "kube-system").exitCode() == 0);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  kubectl
                          .run(
                              "-n",
                              "kube-system",
                              "get",
                              "configmap",
                              "extension-apiserver-authentication")
                          .exitCode()
                      == 0);
    }
  }

  @Test
  void aRunningServerRestoresThePolicyWhenRedisLostIt() {
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "nauta.rbac.bootstrap-recheck-period=1s",
            "nauta.system-namespaces.recheck-period=1s")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig(dir));
      run(kubectl, "get", "clusterrolebinding", "system:kube-scheduler");
      // Everything gone under the running server (FLUSHALL, a failover to an empty replica):
      // without the recheck every component stays refused until the server restarts.
      TestRedis.flush();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  kubectl.run("get", "clusterrolebinding", "system:kube-scheduler").exitCode()
                      == 0);
      run(kubectl, "get", "clusterrole", "system:node", "-o", "name");
      // The client CA the server publishes for agents, and the node's right to read it, too.
      for (List<String> kept :
          List.of(
              List.of("configmap", "extension-apiserver-authentication"),
              List.of("rolebinding", "nauta:node-client-ca-reader"))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    kubectl.run("-n", "kube-system", "get", kept.get(0), kept.get(1)).exitCode()
                        == 0);
      }
    }
  }
}
