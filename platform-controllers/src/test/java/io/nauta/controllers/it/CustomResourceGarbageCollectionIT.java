package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage collector with custom resources, as an operator relies on it: objects owned by a
 * custom resource (a Deployment, a ConfigMap, another custom resource) go when it goes; an object
 * whose custom owner lives stays.
 */
class CustomResourceGarbageCollectionIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Kubectl kubectl;

  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: apps.example.com
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: apps, singular: app, kind: App}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              x-kubernetes-preserve-unknown-fields: true
      """;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, "8");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    create(CRD);
    ok("create", "namespace", "gc");
    await()
        .atMost(WAIT)
        .until(() -> kubectl.runWithInput(app("owner"), "create", "-f", "-").exitCode() == 0);
    create(app("keeper"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  /** {@code kubectl create -f -} with {@code yaml} on stdin. */
  static Kubectl.Result create(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "create", "-f", "-");
    assertThat(r.exitCode()).as(yaml + "\n" + r).isZero();
    return r;
  }

  static String app(String name) {
    return """
        apiVersion: example.com/v1
        kind: App
        metadata: {name: %s, namespace: gc}
        spec: {replicas: 1}
        """
        .formatted(name);
  }

  static String uid(String resource, String name) {
    return ok("-n", "gc", "get", resource, name, "-o", "jsonpath={.metadata.uid}").stdout();
  }

  static String ownedBy(String owner) {
    return """
          ownerReferences:
          - {apiVersion: example.com/v1, kind: App, name: %s, uid: %s, controller: true}
        """
        .formatted(owner, uid("apps.example.com", owner));
  }

  @Test
  void dependentsOfADeletedCustomResourceAreCollected() {
    String owned = ownedBy("owner");
    create(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: gc
        %sspec:
          replicas: 0
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: c, image: nauta/busybox:local}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: gc
        %sdata: {a: b}
        ---
        apiVersion: example.com/v1
        kind: App
        metadata:
          name: child
          namespace: gc
        %sspec: {replicas: 1}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kept
          namespace: gc
        %sdata: {a: b}
        """
            .formatted(owned, owned, owned, ownedBy("keeper")));

    ok("-n", "gc", "delete", "apps.example.com", "owner");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(kubectl.run("-n", "gc", "get", "deployment", "web").stderr())
                  .contains("not found");
              assertThat(kubectl.run("-n", "gc", "get", "configmap", "settings").stderr())
                  .contains("not found");
              assertThat(kubectl.run("-n", "gc", "get", "apps.example.com", "child").stderr())
                  .contains("not found");
            });
    // Its owner lives: it stays.
    ok("-n", "gc", "get", "configmap", "kept");
  }
}
