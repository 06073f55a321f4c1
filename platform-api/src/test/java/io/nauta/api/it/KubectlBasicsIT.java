package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against a running Nauta: create a namespace and a pod from a file, read it back
 * as YAML, watch it, delete it.
 */
class KubectlBasicsIT {

  private static TestApiServer server;
  private static Kubectl kubectl;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createGetWatchAndDeleteAPod() throws Exception {
    Kubectl.Result ns = kubectl.run("create", "namespace", "demo");
    assertThat(ns.exitCode()).as(ns.toString()).isZero();
    assertThat(ns.stdout()).contains("namespace/demo created");

    Path manifest = dir.resolve("pod.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          containers:
          - name: httpd
            image: nauta/busybox:local
            command: ["httpd", "-f", "-p", "8080"]
        """);
    // Client-side validation needs the OpenAPI document, which the kubectl-compatibility issue
    // adds.
    Kubectl.Result created = kubectl.run("-n", "demo", "create", "-f", manifest.toString());
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.stdout()).contains("pod/web created");

    Kubectl.Result yaml = kubectl.run("-n", "demo", "get", "pods", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(yaml.stdout())
        .contains("name: web", "image: nauta/busybox:local", "phase: Pending", "uid:");

    Kubectl.Result table = kubectl.run("-n", "demo", "get", "pods");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.stdout()).contains("web");

    Process watch = kubectl.start("-n", "demo", "get", "pods", "--watch", "-o", "name");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // the process was stopped
              }
            });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("pod/web"));
      Kubectl.Result labelled = kubectl.run("-n", "demo", "label", "pod", "web", "tier=front");
      assertThat(labelled.exitCode()).as(labelled.toString()).isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lines.stream().filter("pod/web"::equals).count() >= 2);
    } finally {
      watch.destroy();
    }

    Kubectl.Result deleted = kubectl.run("-n", "demo", "delete", "pod", "web");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.stdout()).contains("pod \"web\" deleted");
    Kubectl.Result gone = kubectl.run("-n", "demo", "get", "pod", "web");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).contains("NotFound").contains("pods \"web\" not found");
  }
}
