package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code batch/v1} Jobs through kubectl 1.33 with TLS and RBAC on: {@code kubectl create job}
 * (protobuf), Kubernetes' defaults and generated selector, the columns of {@code kubectl get jobs},
 * and 422s for what upstream's validation refuses.
 */
class JobApiIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private static TestApiServer server;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true", "nauta.security.pki-dir=" + dir.resolve("pki"));
    kubectl =
        new Kubectl(
            server.pkiDir().resolve("admin.kubeconfig"), Kubectl.versioned("1.33").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static Kubectl.Result refused(String manifest) {
    Kubectl.Result r = kubectl.runWithInput(manifest, "create", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    return r;
  }

  private static String[] mergePatch(String ns, String job, String patch, String... more) {
    List<String> args =
        new ArrayList<>(List.of("-n", ns, "patch", "job", job, "--type=merge", "-p", patch));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static Kubectl.Result failed(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    return r;
  }

  @Test
  void kubectlCreateJobGetsKubernetesDefaultsAndGeneratedSelector() {
    ok("create", "namespace", "jobs-a");
    Kubectl.Result created =
        ok(
            "-n",
            "jobs-a",
            "create",
            "job",
            "x",
            "--image=nauta/busybox:local",
            "--",
            "sh",
            "-c",
            "exit 0");
    assertThat(created.stdout()).contains("job.batch/x created");

    JsonNode job = JSON.readTree(ok("-n", "jobs-a", "get", "job", "x", "-o", "json").stdout());
    String uid = job.path("metadata").path("uid").asString();
    JsonNode spec = job.path("spec");
    assertThat(spec.path("parallelism").asInt()).isEqualTo(1);
    assertThat(spec.path("completions").asInt()).isEqualTo(1);
    assertThat(spec.path("backoffLimit").asInt()).isEqualTo(6);
    assertThat(spec.path("completionMode").asString()).isEqualTo("NonIndexed");
    assertThat(spec.path("suspend").isBoolean()).isTrue();
    assertThat(spec.path("suspend").asBoolean()).isFalse();
    assertThat(spec.path("manualSelector").isBoolean()).isTrue();
    assertThat(spec.path("podReplacementPolicy").asString()).isEqualTo("TerminatingOrFailed");
    JsonNode matchLabels = spec.path("selector").path("matchLabels");
    assertThat(matchLabels.size()).as(matchLabels.toString()).isEqualTo(1);
    assertThat(matchLabels.path("batch.kubernetes.io/controller-uid").asString()).isEqualTo(uid);
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    assertThat(labels.path("batch.kubernetes.io/controller-uid").asString()).isEqualTo(uid);
    assertThat(labels.path("batch.kubernetes.io/job-name").asString()).isEqualTo("x");
    assertThat(labels.path("controller-uid").asString()).isEqualTo(uid);
    assertThat(labels.path("job-name").asString()).isEqualTo("x");
    assertThat(job.path("metadata").path("labels")).isEqualTo(labels);
    assertThat(job.path("metadata").path("generation").asInt()).isEqualTo(1);
    assertThat(spec.path("template").path("spec").path("restartPolicy").asString())
        .isEqualTo("Never");
    // managedFields as upstream's create handler records them: the defaults are the creator's,
    // but not what the Job's PrepareForCreate generated (the selector and its labels).
    JsonNode managed =
        JSON.readTree(
                ok("-n", "jobs-a", "get", "job", "x", "-o", "json", "--show-managed-fields")
                    .stdout())
            .path("metadata")
            .path("managedFields");
    assertThat(managed.size()).as(managed.toString()).isEqualTo(1);
    assertThat(managed.get(0).path("manager").asString()).isEqualTo("kubectl-create");
    JsonNode owned = managed.get(0).path("fieldsV1").path("f:spec");
    assertThat(owned.has("f:backoffLimit")).as(owned.toString()).isTrue();
    assertThat(owned.at("/f:template/f:spec").has("f:restartPolicy")).isTrue();
    assertThat(owned.has("f:selector")).isFalse();
    assertThat(managed.toString()).doesNotContain("controller-uid", "job-name");
    assertThat(job.path("status").isEmpty()).as(job.path("status").toString()).isTrue();

    Kubectl.Result table = ok("-n", "jobs-a", "get", "jobs");
    assertThat(table.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
    assertThat(table.stdout()).containsPattern("(?m)^x\\s+Running\\s+0/1\\s+\\S+\\s*$");
    Kubectl.Result wide = ok("-n", "jobs-a", "get", "jobs", "-o", "wide");
    assertThat(wide.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(wide.stdout())
        .contains("nauta/busybox:local", "batch.kubernetes.io/controller-uid=" + uid);
    assertThat(
            ok("get", "jobs", "-A", "--field-selector", "status.successful=0", "-o", "name")
                .stdout())
        .contains("job.batch/x");
    assertThat(
            ok("get", "jobs", "-A", "--field-selector", "status.successful=1", "-o", "name")
                .stdout())
        .doesNotContain("job.batch/x");
  }

  @Test
  void statusWritesGoThroughTheSubresourceAndShowInTheTable() {
    ok("create", "namespace", "jobs-b");
    ok("-n", "jobs-b", "create", "job", "done", "--image=nauta/busybox:local");
    String status =
        """
        {"status":{"startTime":"2026-01-01T00:00:00Z","completionTime":"2026-01-01T00:01:05Z",
         "succeeded":1,"conditions":[
          {"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}
        """;
    ok(mergePatch("jobs-b", "done", status, "--subresource=status"));
    Kubectl.Result table = ok("-n", "jobs-b", "get", "jobs");
    assertThat(table.stdout()).containsPattern("(?m)^done\\s+Complete\\s+1/1\\s+65s\\s+\\S+\\s*$");
    JsonNode job = JSON.readTree(ok("-n", "jobs-b", "get", "job", "done", "-o", "json").stdout());
    assertThat(job.path("metadata").path("generation").asInt()).isEqualTo(1);
    // A status write cannot lower a counter, nor clear a terminal condition.
    Kubectl.Result lower =
        failed(
            mergePatch("jobs-b", "done", "{\"status\":{\"succeeded\":0}}", "--subresource=status"));
    assertThat(lower.stderr())
        .contains("status.succeeded: Invalid value: 0: cannot decrease the succeeded counter");
    Kubectl.Result cleared =
        failed(
            mergePatch(
                "jobs-b",
                "done",
                "{\"status\":{\"conditions\":null,\"completionTime\":null}}",
                "--subresource=status"));
    assertThat(cleared.stderr())
        .contains("status.conditions: Invalid value: cannot disable the terminal Complete=True");
  }

  @Test
  void invalidJobsAreRefusedWithUpstreamsMessages() {
    ok("create", "namespace", "jobs-c");
    Kubectl.Result always =
        refused(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: always, namespace: jobs-c}
            spec:
              template:
                spec:
                  containers: [{name: c, image: nauta/busybox:local}]
            """);
    assertThat(always.stderr())
        .contains(
            "The Job \"always\" is invalid",
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\","
                + " \"Never\"");

    Kubectl.Result indexed =
        refused(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: indexed, namespace: jobs-c}
            spec:
              parallelism: 2
              completionMode: Indexed
              backoffLimit: -1
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: nauta/busybox:local}]
            """);
    assertThat(indexed.stderr())
        .contains(
            "spec.completions: Required value: when completion mode is Indexed",
            "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");

    Kubectl.Result selector =
        refused(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: manual, namespace: jobs-c}
            spec:
              manualSelector: true
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: b}}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: nauta/busybox:local}]
            """);
    assertThat(selector.stderr())
        .contains("spec.template.metadata.labels: Invalid value:")
        .contains("`selector` does not match template `labels`");
    assertThat(ok("-n", "jobs-c", "get", "jobs", "-o", "name").stdout()).isBlank();

    ok("-n", "jobs-c", "create", "job", "y", "--image=nauta/busybox:local");
    Kubectl.Result completions =
        failed(mergePatch("jobs-c", "y", "{\"spec\":{\"completions\":3}}"));
    assertThat(completions.stderr())
        .contains("spec.completions: Invalid value: 3: field is immutable");
    Kubectl.Result image = failed("-n", "jobs-c", "set", "image", "job/y", "y=nauta/redis:local");
    assertThat(image.stderr()).contains("spec.template: Invalid value:", "field is immutable");
    Kubectl.Result sel =
        failed(
            mergePatch("jobs-c", "y", "{\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}}}}"));
    assertThat(sel.stderr()).contains("spec.selector: Invalid value:", "field is immutable");
    // Suspend and parallelism may change at any time.
    ok(mergePatch("jobs-c", "y", "{\"spec\":{\"suspend\":true}}"));
    ok(mergePatch("jobs-c", "y", "{\"spec\":{\"parallelism\":0}}"));
  }

  @Test
  void discoveryOpenApiAndRbacKnowJobs() {
    Kubectl.Result resources = ok("api-resources", "--api-group=batch");
    assertThat(resources.stdout()).containsPattern("(?m)^jobs\\s+batch/v1\\s+true\\s+Job\\s*$");
    assertThat(ok("explain", "job.spec.completionMode").stdout()).contains("completionMode");

    ok("create", "rolebinding", "edit-u", "--clusterrole=edit", "--user=u", "-n", "default");
    ok("create", "rolebinding", "view-v", "--clusterrole=view", "--user=v", "-n", "default");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(canI("create", "jobs.batch", "default", "u")).isEqualTo("yes");
              assertThat(canI("list", "jobs.batch", "default", "v")).isEqualTo("yes");
            });
    assertThat(canI("update", "jobs.batch", "default", "u", "--subresource=status"))
        .isEqualTo("no");
    assertThat(canI("create", "jobs.batch", "default", "v")).isEqualTo("no");
    assertThat(
            canI(
                "update",
                "jobs.batch",
                "x",
                "system:kube-controller-manager",
                "--subresource=status"))
        .isEqualTo("yes");
  }

  private static String canI(
      String verb, String resource, String namespace, String user, String... more) {
    List<String> args =
        new ArrayList<>(List.of("auth", "can-i", verb, resource, "-n", namespace, "--as=" + user));
    args.addAll(List.of(more));
    return kubectl.run(args.toArray(String[]::new)).stdout().trim();
  }
}
