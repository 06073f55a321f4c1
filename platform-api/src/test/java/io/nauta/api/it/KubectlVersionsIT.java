package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kubectl versions platform teams run, 1.27 to 1.33, through the same everyday round trip:
 * apply, re-apply without a port and a label, get as a table, scale, delete, with no flags. 1.27
 * and 1.28 validate every object against {@code /openapi/v2} and compute apply's patch from it.
 */
class KubectlVersionsIT {

  private static TestApiServer server;

  @TempDir static Path dir;

  private static final String V1 =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web, tier: front}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: httpd
              image: nauta/busybox:local
              ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]
      """;

  private static final String V2 =
      V1.replace("labels: {app: web, tier: front}", "labels: {app: web}")
          .replace(", {containerPort: 9090, name: metrics}", "");

  @BeforeAll
  static void start() throws Exception {
    server = TestApiServer.startOnEmptyRedis();
    Files.writeString(dir.resolve("v1.yaml"), V1);
    Files.writeString(dir.resolve("v2.yaml"), V2);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"})
  void theEverydayRoundTripWorks(String version) {
    assertThat(V2).doesNotContain("9090").doesNotContain("tier");
    Kubectl kubectl = new Kubectl(server.kubeconfig(dir), Kubectl.versioned(version).toString());
    String ns = "k" + version.replace(".", "-");
    ok(kubectl, "create", "namespace", ns);
    ok(kubectl, "-n", ns, "apply", "-f", dir.resolve("v1.yaml").toString());
    assertThat(ok(kubectl, "-n", ns, "apply", "-f", dir.resolve("v2.yaml").toString()))
        .contains("deployment.apps/web configured");
    assertThat(
            ok(
                kubectl,
                "-n",
                ns,
                "get",
                "deploy",
                "web",
                "-o",
                "jsonpath={.spec.template.spec.containers[0].ports[*].containerPort} {.metadata.labels.tier}"))
        .isEqualTo("8080 ");
    assertThat(ok(kubectl, "-n", ns, "get", "deploy"))
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
    assertThat(ok(kubectl, "-n", ns, "scale", "deploy", "web", "--replicas=3")).contains("scaled");
    assertThat(ok(kubectl, "-n", ns, "delete", "deploy", "web")).contains("deleted");
  }

  private static String ok(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r.stdout();
  }
}
