package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code batch/v1} CronJobs through kubectl 1.33 with TLS and RBAC on: {@code kubectl create
 * cronjob} (protobuf), Kubernetes' defaults, the columns of {@code kubectl get cronjobs}, 422s for
 * what upstream's validation refuses, and {@code kubectl create job --from=cronjob/x}.
 */
class CronJobApiIT {

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

  private static String cronJob(String name, String specExtra, String schedule) {
    return """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: %s
          namespace: cj-bad
        spec:
          schedule: "%s"
        %s  jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: nauta/busybox:local
        """
        .formatted(name, schedule, specExtra);
  }

  @Test
  void kubectlCreateCronJobGetsDefaultsColumnsAndCreateJobFromIt() {
    ok("create", "namespace", "cj-a");
    Kubectl.Result created =
        ok(
            "-n",
            "cj-a",
            "create",
            "cronjob",
            "x",
            "--image=nauta/busybox:local",
            "--schedule=*/1 * * * *",
            "--",
            "sh",
            "-c",
            "exit 0");
    assertThat(created.stdout()).contains("cronjob.batch/x created");

    JsonNode cj = JSON.readTree(ok("-n", "cj-a", "get", "cronjob", "x", "-o", "json").stdout());
    JsonNode spec = cj.path("spec");
    assertThat(spec.path("schedule").asString()).isEqualTo("*/1 * * * *");
    assertThat(spec.path("concurrencyPolicy").asString()).isEqualTo("Allow");
    assertThat(spec.path("suspend").isBoolean()).isTrue();
    assertThat(spec.path("suspend").asBoolean()).isFalse();
    assertThat(spec.path("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
    assertThat(spec.path("failedJobsHistoryLimit").asInt()).isEqualTo(1);
    JsonNode podSpec = spec.path("jobTemplate").path("spec").path("template").path("spec");
    assertThat(podSpec.path("restartPolicy").asString()).isEqualTo("OnFailure");
    assertThat(podSpec.path("dnsPolicy").asString()).isEqualTo("ClusterFirst");
    assertThat(spec.path("jobTemplate").path("spec").has("selector")).isFalse();
    assertThat(cj.path("metadata").path("generation").asInt()).isEqualTo(1);

    Kubectl.Result table = ok("-n", "cj-a", "get", "cronjobs");
    assertThat(table.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE");
    assertThat(table.stdout())
        .containsPattern(
            "(?m)^x\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>\\s+\\S+\\s*$");
    Kubectl.Result wide = ok("-n", "cj-a", "get", "cj", "-o", "wide");
    assertThat(wide.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .endsWith("AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(wide.stdout()).contains("nauta/busybox:local");

    assertThat(ok("-n", "cj-a", "describe", "cronjob", "x").stdout())
        .containsPattern("Schedule:\\s+\\*/1 \\* \\* \\* \\*")
        .containsPattern("Concurrency Policy:\\s+Allow");

    // Spec changes bump the generation; status only through the subresource.
    ok(
        "-n",
        "cj-a",
        "patch",
        "cronjob",
        "x",
        "--type=merge",
        "-p",
        "{\"spec\":{\"suspend\":true}}");
    ok(
        "-n",
        "cj-a",
        "patch",
        "cronjob",
        "x",
        "--type=merge",
        "-p",
        "{\"status\":{\"lastScheduleTime\":\"2026-01-01T00:00:00Z\"}}");
    cj = JSON.readTree(ok("-n", "cj-a", "get", "cronjob", "x", "-o", "json").stdout());
    assertThat(cj.path("metadata").path("generation").asInt()).isEqualTo(2);
    assertThat(cj.path("status").has("lastScheduleTime")).isFalse();
    ok(
        "-n",
        "cj-a",
        "patch",
        "cronjob",
        "x",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\":{\"lastScheduleTime\":\"2026-01-01T00:00:00Z\"}}");
    assertThat(ok("-n", "cj-a", "get", "cronjobs").stdout())
        .containsPattern("(?m)^x\\s+\\S+ \\S+ \\S+ \\S+ \\S+\\s+<none>\\s+True\\s+0\\s+\\d+d\\s+");

    // kubectl reads the CronJob and creates a Job from its template.
    Kubectl.Result fromCron = ok("-n", "cj-a", "create", "job", "manual", "--from=cronjob/x");
    assertThat(fromCron.stdout()).contains("job.batch/manual created");
    JsonNode job = JSON.readTree(ok("-n", "cj-a", "get", "job", "manual", "-o", "json").stdout());
    assertThat(
            job.path("metadata")
                .path("annotations")
                .path("cronjob.kubernetes.io/instantiate")
                .asString())
        .isEqualTo("manual");
    JsonNode owner = job.path("metadata").path("ownerReferences").path(0);
    assertThat(owner.path("kind").asString()).isEqualTo("CronJob");
    assertThat(owner.path("name").asString()).isEqualTo("x");
    assertThat(owner.path("uid").asString()).isEqualTo(cj.path("metadata").path("uid").asString());
    assertThat(
            job.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .path(0)
                .path("image")
                .asString())
        .isEqualTo("nauta/busybox:local");
  }

  @Test
  void olderKubectlsCreateCronJobsAndJobsFromThem() {
    ok("create", "namespace", "cj-old");
    for (String version : new String[] {"1.27", "1.30"}) {
      Kubectl old =
          new Kubectl(
              server.pkiDir().resolve("admin.kubeconfig"), Kubectl.versioned(version).toString());
      String name = "v" + version.replace(".", "");
      Kubectl.Result created =
          old.run(
              "-n",
              "cj-old",
              "create",
              "cronjob",
              name,
              "--image=nauta/busybox:local",
              "--schedule=@hourly");
      assertThat(created.exitCode()).as(created.toString()).isZero();
      Kubectl.Result job =
          old.run("-n", "cj-old", "create", "job", name + "-now", "--from=cronjob/" + name);
      assertThat(job.exitCode()).as(job.toString()).isZero();
      assertThat(job.stdout()).contains("job.batch/" + name + "-now created");
    }
    assertThat(ok("-n", "cj-old", "get", "jobs", "-o", "name").stdout())
        .contains("job.batch/v127-now", "job.batch/v130-now");
  }

  @Test
  void refusesWhatUpstreamValidationRefuses() {
    ok("create", "namespace", "cj-bad");
    assertThat(refused(cronJob("a", "", "61 * * * *")).stderr())
        .contains(
            "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
    assertThat(refused(cronJob("b", "", "* * * *")).stderr())
        .contains("expected exactly 5 fields, found 4: [* * * *]");
    assertThat(refused(cronJob("c", "", "CRON_TZ=UTC * * * * *")).stderr())
        .contains("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    assertThat(refused(cronJob("d", "  timeZone: Mars/Olympus\n", "@hourly")).stderr())
        .contains("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
    assertThat(refused(cronJob("e", "  concurrencyPolicy: Sometimes\n", "@daily")).stderr())
        .contains(
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values:"
                + " \"Allow\", \"Forbid\", \"Replace\"");
    assertThat(refused(cronJob("f", "  startingDeadlineSeconds: -1\n", "@daily")).stderr())
        .contains("spec.startingDeadlineSeconds: Invalid value: -1");
    assertThat(refused(cronJob("x".repeat(53), "", "@daily")).stderr())
        .contains("must be no more than 52 characters");
    assertThat(
            refused(
                    cronJob("g", "", "@daily")
                        .replace("restartPolicy: Never", "restartPolicy: Always"))
                .stderr())
        .contains("spec.jobTemplate.spec.template.spec.restartPolicy: Required value");
    assertThat(ok("-n", "cj-bad", "get", "cronjobs", "-o", "name").stdout()).isEmpty();

    Kubectl.Result valid =
        kubectl.runWithInput(
            cronJob("berlin", "  timeZone: Europe/Berlin\n", "30 6 * * mon-fri"),
            "create",
            "-f",
            "-");
    assertThat(valid.exitCode()).as(valid.toString()).isZero();
    assertThat(ok("-n", "cj-bad", "get", "cronjobs").stdout())
        .containsPattern(
            "(?m)^berlin\\s+30 6 \\* \\* mon-fri\\s+Europe/Berlin\\s+False\\s+0\\s+<none>");
  }
}
