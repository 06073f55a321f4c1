package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The ServiceAccount admission plugin on a real API server with security on: the default account,
 * 403 for a missing one, the {@code kube-api-access-*} projected volume and its mounts, and {@code
 * automountServiceAccountToken: false} on the pod or its account.
 */
class ServiceAccountAdmissionIT {

  static final String MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  @TempDir static Path dir;

  static TestApiServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + dir.resolve("pki"),
            TestApiServer.SERVICE_ACCOUNT_ADMISSION + "true");
    api = new ApiCalls(server);
    for (String ns : List.of("sa", "nosa")) {
      assertThat(
              api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}").status())
          .isEqualTo(201);
    }
    // No controller manager here: make the accounts it would make, and two of our own.
    serviceAccount("default", null);
    serviceAccount("bot", null);
    serviceAccount("quiet", false);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void serviceAccount(String name, Boolean automount) {
    String body =
        "{\"metadata\":{\"name\":\""
            + name
            + "\"}"
            + (automount == null ? "" : ",\"automountServiceAccountToken\":" + automount)
            + "}";
    ApiCalls.Response r = api.post("/api/v1/namespaces/sa/serviceaccounts", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
  }

  static ApiCalls.Response createPod(String ns, String name, String specExtra) {
    return api.post(
        "/api/v1/namespaces/" + ns + "/pods",
        "{\"metadata\":{\"name\":\""
            + name
            + "\"},\"spec\":{"
            + specExtra
            + "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\"}],"
            + "\"containers\":[{\"name\":\"a\",\"image\":\"busybox\"},"
            + "{\"name\":\"b\",\"image\":\"busybox\",\"volumeMounts\":[{\"name\":\"own\","
            + "\"mountPath\":\""
            + MOUNT
            + "\"}]}],\"volumes\":[{\"name\":\"own\",\"emptyDir\":{}}]}}");
  }

  static List<String> mountNames(JsonNode container) {
    List<String> names = new ArrayList<>();
    container.path("volumeMounts").forEach(m -> names.add(m.path("name").asString()));
    return names;
  }

  @Test
  void aPodGetsTheDefaultAccountAndTheProjectedTokenVolumeAsKubernetesGivesIt() {
    ApiCalls.Response r = createPod("sa", "web", "");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    JsonNode spec = r.body().path("spec");
    assertThat(spec.path("serviceAccountName").asString()).isEqualTo("default");

    JsonNode volume = spec.path("volumes").get(1);
    String name = volume.path("name").asString();
    assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
    JsonNode projected = volume.path("projected");
    assertThat(projected.path("defaultMode").asInt()).isEqualTo(0644);
    JsonNode sources = projected.path("sources");
    assertThat(sources.size()).isEqualTo(3);
    assertThat(sources.get(0).path("serviceAccountToken").path("expirationSeconds").asInt())
        .isEqualTo(3607);
    assertThat(sources.get(0).path("serviceAccountToken").path("path").asString())
        .isEqualTo("token");
    assertThat(sources.get(1).path("configMap").path("name").asString())
        .isEqualTo("kube-root-ca.crt");
    assertThat(sources.get(1).path("configMap").path("items").get(0).path("key").asString())
        .isEqualTo("ca.crt");
    assertThat(sources.get(1).path("configMap").path("items").get(0).path("path").asString())
        .isEqualTo("ca.crt");
    JsonNode ns = sources.get(2).path("downwardAPI").path("items").get(0);
    assertThat(ns.path("path").asString()).isEqualTo("namespace");
    assertThat(ns.path("fieldRef").path("fieldPath").asString()).isEqualTo("metadata.namespace");

    // Every container, init containers too, but not one that mounts something there itself.
    JsonNode init = spec.path("initContainers").get(0);
    JsonNode a = spec.path("containers").get(0);
    JsonNode b = spec.path("containers").get(1);
    assertThat(mountNames(init)).containsExactly(name);
    assertThat(mountNames(a)).containsExactly(name);
    assertThat(mountNames(b)).containsExactly("own");
    JsonNode mount = a.path("volumeMounts").get(0);
    assertThat(mount.path("mountPath").asString()).isEqualTo(MOUNT);
    assertThat(mount.path("readOnly").asBoolean()).isTrue();

    // As upstream's create handler records managedFields before mutating admission, the creator
    // owns its own volume and the defaults, not the account nor the token volume and mounts.
    JsonNode owned = r.body().at("/metadata/managedFields/0/fieldsV1/f:spec");
    assertThat(owned.has("f:restartPolicy")).as(owned.toString()).isTrue();
    assertThat(owned.has("f:serviceAccountName")).isFalse();
    assertThat(owned.has("f:serviceAccount")).isFalse();
    assertThat(owned.path("f:volumes").has("k:{\"name\":\"own\"}")).isTrue();
    assertThat(owned.path("f:volumes").toString()).doesNotContain("kube-api-access");
    assertThat(owned.at("/f:containers/k:{\"name\":\"a\"}").has("f:volumeMounts")).isFalse();
    assertThat(owned.at("/f:containers/k:{\"name\":\"a\"}").has("f:imagePullPolicy")).isTrue();
  }

  @Test
  void aNamedAccountIsUsedAndAutomountFalseOnThePodOrItsAccountMountsNothing() {
    ApiCalls.Response named = createPod("sa", "named", "\"serviceAccountName\":\"bot\",");
    assertThat(named.status()).as(named.raw()).isEqualTo(201);
    assertThat(named.body().path("spec").path("serviceAccountName").asString()).isEqualTo("bot");
    // An account the client named is the client's, with the field v1 mirrors it into.
    JsonNode owned = named.body().at("/metadata/managedFields/0/fieldsV1/f:spec");
    assertThat(owned.has("f:serviceAccountName")).as(owned.toString()).isTrue();
    assertThat(owned.has("f:serviceAccount")).isTrue();
    assertThat(named.body().path("spec").path("volumes").size()).isEqualTo(2);

    ApiCalls.Response podSaysNo =
        createPod("sa", "podno", "\"automountServiceAccountToken\":false,");
    assertThat(podSaysNo.status()).as(podSaysNo.raw()).isEqualTo(201);
    assertThat(podSaysNo.body().path("spec").path("volumes").size()).isEqualTo(1);
    assertThat(mountNames(podSaysNo.body().path("spec").path("containers").get(0))).isEmpty();

    ApiCalls.Response accountSaysNo = createPod("sa", "sano", "\"serviceAccountName\":\"quiet\",");
    assertThat(accountSaysNo.status()).as(accountSaysNo.raw()).isEqualTo(201);
    assertThat(accountSaysNo.body().path("spec").path("volumes").size()).isEqualTo(1);

    // The pod's word wins over its account's.
    ApiCalls.Response podSaysYes =
        createPod(
            "sa",
            "podyes",
            "\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,");
    assertThat(podSaysYes.status()).as(podSaysYes.raw()).isEqualTo(201);
    assertThat(podSaysYes.body().path("spec").path("volumes").size()).isEqualTo(2);
  }

  @Test
  void aPodWhoseAccountDoesNotExistIsForbidden() {
    ApiCalls.Response missing = createPod("sa", "lost", "\"serviceAccountName\":\"nobody\",");
    assertThat(missing.status()).as(missing.raw()).isEqualTo(403);
    assertThat(missing.reason()).isEqualTo("Forbidden");
    assertThat(missing.body().path("message").asString())
        .isEqualTo(
            "pods \"lost\" is forbidden: error looking up service account sa/nobody:"
                + " serviceaccount \"nobody\" not found");

    ApiCalls.Response noDefault = createPod("nosa", "early", "");
    assertThat(noDefault.status()).as(noDefault.raw()).isEqualTo(403);
    assertThat(noDefault.body().path("message").asString())
        .isEqualTo(
            "pods \"early\" is forbidden: error looking up service account nosa/default:"
                + " serviceaccount \"default\" not found");
    assertThat(api.get("/api/v1/namespaces/nosa/pods/early").status()).isEqualTo(404);
  }
}
