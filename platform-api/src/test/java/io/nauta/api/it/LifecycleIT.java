package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the server owns in an object's life: metadata it sets, generation, the spec/status split,
 * binding, dry runs, finalizers, graceful deletion and namespaces.
 */
class LifecycleIT {

  private static TestApiServer server;
  private static ApiCalls api;
  private static final String PODS = "/api/v1/namespaces/life/pods";
  private static final String DEPLOYS = "/apis/apps/v1/namespaces/life/deployments";

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace("life")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSystemNamespacesExist() {
    for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      ApiCalls.Response r = api.get("/api/v1/namespaces/" + ns);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().path("status").path("phase").asString()).isEqualTo("Active");
    }
  }

  @Test
  void createFillsServerMetadataDefaultsAndIgnoresStatus() {
    ObjectNode pod = ApiCalls.parse(Objects.pod("meta"));
    pod.putObject("status").put("phase", "Running");
    pod.withObjectProperty("metadata").put("uid", "client-chosen");
    JsonNode created = api.post(PODS, pod.toString()).body();
    assertThat(created.path("metadata").path("namespace").asString()).isEqualTo("life");
    assertThat(created.path("metadata").path("uid").asString()).isNotEqualTo("client-chosen");
    assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
    assertThat(created.path("status").path("phase").asString()).isEqualTo("Pending");
    assertThat(created.path("spec").path("restartPolicy").asString()).isEqualTo("Always");
    assertThat(created.path("spec").path("containers").get(0).path("imagePullPolicy").asString())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void generateNameMakesAUniqueName() {
    String body = Objects.pod("x").replace("\"name\":\"x\",", "\"generateName\":\"gen-\",");
    String a = api.post(PODS, body).body().path("metadata").path("name").asString();
    String b = api.post(PODS, body).body().path("metadata").path("name").asString();
    assertThat(a).startsWith("gen-").hasSize(9);
    assertThat(b).startsWith("gen-").isNotEqualTo(a);
  }

  @Test
  void generationBumpsOnlyOnSpecChangesAndStatusOnlyChangesThroughItsSubresource() {
    String body =
        """
        {"metadata":{"name":"gen"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"g"}},
         "template":{"metadata":{"labels":{"app":"g"}},
         "spec":{"containers":[{"name":"c","image":"nauta/busybox:local"}]}}}}""";
    ObjectNode d = api.post(DEPLOYS, body).object();
    assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);

    d.withObjectProperty("metadata").putObject("labels").put("l", "v");
    d.putObject("status").put("replicas", 7);
    d = api.put(DEPLOYS + "/gen", d.toString()).object();
    assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);
    assertThat(d.path("status").path("replicas").isMissingNode()).isTrue();

    d.withObjectProperty("spec").put("replicas", 3);
    d = api.put(DEPLOYS + "/gen", d.toString()).object();
    assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(2);

    d.withObjectProperty("status").put("replicas", 3).put("observedGeneration", 2);
    d.withObjectProperty("spec").put("replicas", 9);
    d = api.put(DEPLOYS + "/gen/status", d.toString()).object();
    assertThat(d.path("status").path("replicas").asInt()).isEqualTo(3);
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);

    ApiCalls.Response scale = api.get(DEPLOYS + "/gen/scale");
    assertThat(scale.body().path("kind").asString()).isEqualTo("Scale");
    assertThat(scale.body().path("status").path("selector").asString()).isEqualTo("app=g");
    ApiCalls.Response scaled =
        api.patch(
            DEPLOYS + "/gen/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":5}}");
    assertThat(scaled.status()).as(scaled.raw()).isEqualTo(200);
    assertThat(api.get(DEPLOYS + "/gen").body().path("spec").path("replicas").asInt()).isEqualTo(5);
  }

  @Test
  void patchesOfEachTypeApply() {
    api.post(PODS, Objects.pod("patched"));
    ApiCalls.Response merge =
        api.patch(
            PODS + "/patched",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"a\":\"1\"}}}");
    assertThat(merge.status()).as(merge.raw()).isEqualTo(200);
    ApiCalls.Response json =
        api.patch(
            PODS + "/patched",
            "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"2\"}]");
    assertThat(json.status()).as(json.raw()).isEqualTo(200);
    ApiCalls.Response strategic =
        api.patch(
            PODS + "/patched",
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nauta/busybox:v2\"}]}}");
    assertThat(strategic.status()).as(strategic.raw()).isEqualTo(200);
    JsonNode pod = api.get(PODS + "/patched").body();
    assertThat(pod.path("metadata").path("labels").path("a").asString()).isEqualTo("1");
    assertThat(pod.path("metadata").path("labels").path("b").asString()).isEqualTo("2");
    assertThat(pod.path("spec").path("containers").get(0).path("image").asString())
        .isEqualTo("nauta/busybox:v2");
    assertThat(pod.path("spec").path("containers").get(0).path("command").get(0).asString())
        .isEqualTo("sleep");

    ApiCalls.Response failedTest =
        api.patch(
            PODS + "/patched",
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/metadata/labels/a\",\"value\":\"9\"}]");
    assertThat(failedTest.status()).isEqualTo(422);
    ApiCalls.Response unknownType = api.patch(PODS + "/patched", "text/plain", "x");
    assertThat(unknownType.status()).isEqualTo(415);
  }

  @Test
  void bindingSetsTheNodeOnceAndGracefulDeletionWaitsForTheNode() {
    api.post(PODS, Objects.pod("bound"));
    String binding =
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bound\"},"
            + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-1\"}}";
    assertThat(api.post(PODS + "/bound/binding", binding).status()).isEqualTo(201);
    JsonNode pod = api.get(PODS + "/bound").body();
    assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("node-1");
    assertThat(pod.path("status").path("conditions").get(0).path("type").asString())
        .isEqualTo("PodScheduled");
    ApiCalls.Response again =
        api.post(PODS + "/bound/binding", binding.replace("node-1", "node-2"));
    assertThat(again.status()).isEqualTo(409);

    ApiCalls.Response deleting = api.delete(PODS + "/bound");
    assertThat(deleting.status()).isEqualTo(202);
    assertThat(deleting.body().path("metadata").path("deletionGracePeriodSeconds").asLong())
        .isEqualTo(30);
    assertThat(api.get(PODS + "/bound").status()).isEqualTo(200);
    // The node agent, once its containers stopped, deletes with a zero grace period.
    assertThat(api.delete(PODS + "/bound?gracePeriodSeconds=0").status()).isEqualTo(200);
    assertThat(api.get(PODS + "/bound").status()).isEqualTo(404);
  }

  /**
   * A binding is only ever created, as Kubernetes' BindingREST: reading it or patching it is 405,
   * and a patch through it must not write the pod around the pod's own update rules.
   */
  @Test
  void theBindingSubresourceAnswersOnlyPost() {
    api.post(PODS, Objects.pod("unbound"));
    ApiCalls.Response patched =
        api.patch(
            PODS + "/unbound/binding",
            "application/merge-patch+json",
            "{\"spec\":{\"nodeName\":\"node-1\"},\"status\":{\"phase\":\"Running\"}}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(405);
    assertThat(api.get(PODS + "/unbound/binding").status()).isEqualTo(405);
    JsonNode pod = api.get(PODS + "/unbound").body();
    assertThat(pod.path("spec").path("nodeName").asString("")).isEmpty();
    assertThat(pod.path("status").path("phase").asString()).isEqualTo("Pending");
  }

  @Test
  void finalizersKeepADeletedObjectUntilTheyAreRemoved() {
    String cms = "/api/v1/namespaces/life/configmaps";
    api.post(
        cms, "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]},\"data\":{}}");
    ApiCalls.Response deleting = api.delete(cms + "/fin");
    assertThat(deleting.status()).isEqualTo(202);
    ObjectNode held = api.get(cms + "/fin").object();
    assertThat(held.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();

    ApiCalls.Response addFinalizer =
        api.patch(
            cms + "/fin",
            "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"example.com/more\"}]");
    assertThat(addFinalizer.status()).isEqualTo(422);

    held.withObjectProperty("metadata").remove("finalizers");
    assertThat(api.put(cms + "/fin", held.toString()).status()).isEqualTo(200);
    assertThat(api.get(cms + "/fin").status()).isEqualTo(404);
  }

  @Test
  void propagationPoliciesAreRecordedAsFinalizersForTheGarbageCollector() {
    String cms = "/api/v1/namespaces/life/configmaps";
    api.post(cms, Objects.configMap("orphan-me", "v"));
    ApiCalls.Response r =
        api.delete(
            cms + "/orphan-me",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Orphan\"}");
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.body().path("metadata").path("finalizers").get(0).asString()).isEqualTo("orphan");
    api.post(cms, Objects.configMap("fg", "v"));
    r = api.delete(cms + "/fg?propagationPolicy=Foreground");
    assertThat(r.body().path("metadata").path("finalizers").get(0).asString())
        .isEqualTo("foregroundDeletion");
  }

  @Test
  void deletePreconditionsMustMatch() {
    String cms = "/api/v1/namespaces/life/configmaps";
    api.post(cms, Objects.configMap("pre", "v"));
    ApiCalls.Response r = api.delete(cms + "/pre", "{\"preconditions\":{\"uid\":\"not-the-uid\"}}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.body().path("message").asString())
        .startsWith("Precondition failed: UID in precondition");
    assertThat(api.get(cms + "/pre").status()).isEqualTo(200);
  }

  @Test
  void dryRunChangesNothing() {
    String cms = "/api/v1/namespaces/life/configmaps";
    assertThat(api.post(cms + "?dryRun=All", Objects.configMap("dry", "v")).status())
        .isEqualTo(201);
    assertThat(api.get(cms + "/dry").status()).isEqualTo(404);
    api.post(cms, Objects.configMap("wet", "v"));
    assertThat(api.delete(cms + "/wet?dryRun=All").status()).isEqualTo(200);
    assertThat(api.get(cms + "/wet").status()).isEqualTo(200);
  }

  @Test
  void deleteCollectionHonoursSelectors() {
    String cms = "/api/v1/namespaces/life/configmaps";
    api.post(cms, "{\"metadata\":{\"name\":\"dc-1\",\"labels\":{\"batch\":\"x\"}}}");
    api.post(cms, "{\"metadata\":{\"name\":\"dc-2\",\"labels\":{\"batch\":\"x\"}}}");
    api.post(cms, "{\"metadata\":{\"name\":\"dc-3\",\"labels\":{\"batch\":\"y\"}}}");
    ApiCalls.Response r = api.delete(cms + "?labelSelector=batch=x");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("items")).hasSize(2);
    assertThat(api.get(cms + "/dc-1").status()).isEqualTo(404);
    assertThat(api.get(cms + "/dc-3").status()).isEqualTo(200);
  }

  @Test
  void creatingInAMissingOrTerminatingNamespaceIsRefused() {
    ApiCalls.Response missing = api.post("/api/v1/namespaces/nowhere/pods", Objects.pod("p"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("message").asString())
        .isEqualTo("namespaces \"nowhere\" not found");

    api.post("/api/v1/namespaces", Objects.namespace("doomed"));
    api.post("/api/v1/namespaces/doomed/configmaps", Objects.configMap("content", "v"));
    // Hold the namespace in Terminating with a finalizer on its content.
    api.post(
        "/api/v1/namespaces/doomed/configmaps",
        "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}");
    assertThat(api.delete("/api/v1/namespaces/doomed").status()).isEqualTo(202);
    assertThat(api.get("/api/v1/namespaces/doomed").body().path("status").path("phase").asString())
        .isEqualTo("Terminating");
    ApiCalls.Response refused =
        api.post("/api/v1/namespaces/doomed/configmaps", Objects.configMap("late", "v"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().path("message").asString())
        .isEqualTo(
            "unable to create new content in namespace doomed because it is being terminated");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/api/v1/namespaces/doomed/configmaps/content").status() == 404);
    ObjectNode held = api.get("/api/v1/namespaces/doomed/configmaps/held").object();
    held.withObjectProperty("metadata").remove("finalizers");
    api.put("/api/v1/namespaces/doomed/configmaps/held", held.toString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/api/v1/namespaces/doomed").status() == 404);
  }
}
