package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The everyday kubectl commands against Nauta, with the real kubectl binary on PATH and no flags:
 * discovery, apply (twice, removing fields), get in every output, describe, edit, patch, label,
 * annotate, scale, explain and delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlCommandsIT {

  private static TestApiServer server;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  private static final String APP_V1 =
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels:
          app: web
          tier: front
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: httpd
              image: nauta/busybox:local
              command: ["httpd", "-f", "-p", "8080"]
              ports:
              - containerPort: 8080
                name: http
              - containerPort: 9090
                name: metrics
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          app: web
        ports:
        - port: 80
          targetPort: http
      """;

  /** The same manifest with the metrics port and the tier label removed. */
  private static final String APP_V2 =
      APP_V1
          .replace("    tier: front\n", "")
          .replace("        - containerPort: 9090\n          name: metrics\n", "");

  @Test
  @Order(0)
  void theSecondManifestDropsAPortAndALabel() {
    assertThat(APP_V2).doesNotContain("9090", "tier").isNotEqualTo(APP_V1);
  }

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  @Test
  @Order(1)
  void discoveryCommandsListWhatIsServed() {
    assertThat(ok("api-versions").stdout()).contains("v1", "apps/v1", "coordination.k8s.io/v1");
    String resources = ok("api-resources").stdout();
    assertThat(resources).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
    assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    assertThat(resources).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
  }

  @Test
  @Order(2)
  void applyCreatesThenReappliesAsAThreeWayPatch() throws Exception {
    Path v1 = dir.resolve("app-v1.yaml");
    Files.writeString(v1, APP_V1);
    String first = ok("apply", "-f", v1.toString()).stdout();
    assertThat(first)
        .contains("namespace/shop created", "deployment.apps/web created", "service/web created");

    Path v2 = dir.resolve("app-v2.yaml");
    Files.writeString(v2, APP_V2);
    String second = ok("apply", "-f", v2.toString()).stdout();
    assertThat(second).contains("namespace/shop unchanged", "deployment.apps/web configured");

    JsonNode deployment =
        ApiCalls.JSON.readTree(ok("-n", "shop", "get", "deployment", "web", "-o", "json").stdout());
    assertThat(deployment.at("/metadata/labels").has("tier")).isFalse();
    JsonNode ports = deployment.at("/spec/template/spec/containers/0/ports");
    assertThat(ports).hasSize(1);
    assertThat(ports.get(0).path("containerPort").asInt()).isEqualTo(8080);
    assertThat(
            deployment
                .at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                .asString())
        .doesNotContain("9090");
  }

  @Test
  @Order(3)
  void createWithoutFlagsValidatesOnTheServer() throws Exception {
    Path pod = dir.resolve("pod.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: solo
          namespace: shop
          labels:
            app: solo
        spec:
          containers:
          - name: c
            image: nauta/busybox:local
        """);
    assertThat(ok("create", "-f", pod.toString()).stdout()).contains("pod/solo created");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(pod)
            .replace("name: solo", "name: bad")
            .replace("    image:", "    imagex:"));
    Kubectl.Result refused = kubectl.run("create", "-f", bad.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("unknown field \"spec.containers[0].imagex\"");
  }

  @Test
  @Order(4)
  void getPrintsKubernetesColumnsInEveryOutput() {
    String pods = ok("-n", "shop", "get", "pods").stdout();
    assertThat(pods).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
    assertThat(pods).containsPattern("solo\\s+0/1\\s+Pending\\s+0\\s+\\d+s");

    assertThat(ok("-n", "shop", "get", "pods", "-o", "wide").stdout())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE");
    assertThat(ok("-n", "shop", "get", "deploy").stdout())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        .containsPattern("web\\s+0/2\\s+0\\s+0");
    assertThat(ok("-n", "shop", "get", "svc").stdout())
        .containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
    assertThat(ok("get", "ns").stdout()).containsPattern("shop\\s+Active");

    assertThat(ok("-n", "shop", "get", "pods", "-o", "name").stdout().trim()).isEqualTo("pod/solo");
    assertThat(ok("-n", "shop", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}").stdout())
        .isEqualTo("solo");
    assertThat(ok("-n", "shop", "get", "pods", "-o", "yaml").stdout())
        .contains("kind: List", "name: solo");
    assertThat(ok("-n", "shop", "get", "pods", "-l", "app=solo", "-o", "name").stdout())
        .contains("pod/solo");
    assertThat(ok("-n", "shop", "get", "pods", "-l", "app=nothing").stderr())
        .contains("No resources found");
    assertThat(
            ok("-n", "shop", "get", "pods", "--field-selector", "metadata.name=solo", "-o", "name")
                .stdout())
        .contains("pod/solo");
    assertThat(ok("get", "pods", "-A").stdout())
        .containsPattern("NAMESPACE\\s+NAME\\s+READY")
        .contains("shop");
    assertThat(ok("-n", "shop", "get", "pods", "--show-labels").stdout())
        .contains("LABELS", "app=solo");
    assertThat(ok("-n", "shop", "get", "pods", "-L", "app").stdout())
        .containsPattern("APP\\s*\\n.*solo");
  }

  @Test
  @Order(5)
  void describeShowsTheObjectAndItsEvents() {
    String uid = ok("-n", "shop", "get", "pod", "solo", "-o", "jsonpath={.metadata.uid}").stdout();
    String event =
        "{\"metadata\":{\"name\":\"solo.1\",\"namespace\":\"shop\"},\"involvedObject\":{\"kind\":\"Pod\","
            + "\"name\":\"solo\",\"namespace\":\"shop\",\"apiVersion\":\"v1\",\"uid\":\""
            + uid
            + "\"},\"reason\":\"Tested\","
            + "\"message\":\"described by a test\",\"type\":\"Normal\",\"source\":{\"component\":\"test\"}}";
    assertThat(new ApiCalls(server).post("/api/v1/namespaces/shop/events", event).status())
        .isEqualTo(201);
    String out = ok("-n", "shop", "describe", "pod", "solo").stdout();
    assertThat(out)
        .contains(
            "Name:", "solo", "Namespace:", "shop", "Events:", "Tested", "described by a test");
  }

  @Test
  @Order(6)
  void editPatchLabelAnnotateAndScaleChangeTheObject() throws Exception {
    Path editor = dir.resolve("editor.sh");
    Files.writeString(
        editor,
        "#!/bin/sh\nsed -i 's/image: nauta\\/busybox:local/image: nauta\\/busybox:edited/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder edit =
        new ProcessBuilder(
            "kubectl",
            "--kubeconfig=" + server.kubeconfig(dir),
            "-n",
            "shop",
            "edit",
            "pod",
            "solo");
    edit.environment().put("EDITOR", editor.toString());
    edit.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
    Process editing = edit.redirectErrorStream(true).start();
    String editOut = new String(editing.getInputStream().readAllBytes());
    assertThat(editing.waitFor()).as(editOut).isZero();
    assertThat(editOut).contains("pod/solo edited");
    assertThat(
            ok("-n", "shop", "get", "pod", "solo", "-o", "jsonpath={.spec.containers[0].image}")
                .stdout())
        .isEqualTo("nauta/busybox:edited");

    ok(
        "-n",
        "shop",
        "patch",
        "pod",
        "solo",
        "--type=merge",
        "-p",
        "{\"metadata\":{\"labels\":{\"m\":\"1\"}}}");
    ok(
        "-n",
        "shop",
        "patch",
        "pod",
        "solo",
        "--type=json",
        "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"2\"}]");
    ok("-n", "shop", "patch", "pod", "solo", "-p", "{\"metadata\":{\"labels\":{\"s\":\"3\"}}}");
    ok("-n", "shop", "label", "pod", "solo", "l=4");
    ok("-n", "shop", "annotate", "pod", "solo", "note=hello");
    JsonNode pod =
        ApiCalls.JSON.readTree(ok("-n", "shop", "get", "pod", "solo", "-o", "json").stdout());
    assertThat(pod.at("/metadata/labels").toString())
        .contains("\"m\":\"1\"", "\"j\":\"2\"", "\"s\":\"3\"", "\"l\":\"4\"");
    assertThat(pod.at("/metadata/annotations/note").asString()).isEqualTo("hello");

    assertThat(ok("-n", "shop", "scale", "deployment", "web", "--replicas=3").stdout())
        .contains("deployment.apps/web scaled");
    assertThat(ok("-n", "shop", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout())
        .isEqualTo("3");
  }

  @Test
  @Order(7)
  void explainReadsTheOpenApiDocument() {
    String out = ok("explain", "pods.spec.containers.ports").stdout();
    assertThat(out).contains("KIND:", "Pod", "containerPort");
  }

  @Test
  @Order(8)
  void serverSideApplyTakesOverFromClientSideApply() throws Exception {
    // The manifest kubectl applied client-side: its last-applied annotation lets kubectl's
    // server-side apply take the fields over without conflicts, as against Kubernetes.
    Path v2 = dir.resolve("app-v2.yaml");
    Kubectl.Result r = kubectl.run("apply", "--server-side", "-f", v2.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("deployment.apps/web serverside-applied");
    JsonNode deployment =
        ApiCalls.JSON.readTree(
            ok("-n", "shop", "get", "deployment", "web", "-o", "json", "--show-managed-fields")
                .stdout());
    assertThat(deployment.at("/metadata/managedFields").toString())
        .contains("\"manager\":\"kubectl\",\"operation\":\"Apply\"");
  }

  @Test
  @Order(9)
  void deleteWaitsForTheObjectToGo() {
    assertThat(ok("-n", "shop", "delete", "pod", "solo").stdout()).contains("pod \"solo\" deleted");
    assertThat(kubectl.run("-n", "shop", "get", "pod", "solo").stderr()).contains("NotFound");
    assertThat(
            ok(
                    "-n",
                    "shop",
                    "delete",
                    "-f",
                    dir.resolve("app-v2.yaml").toString(),
                    "--ignore-not-found")
                .stdout())
        .contains("deployment.apps \"web\" deleted");
  }
}
