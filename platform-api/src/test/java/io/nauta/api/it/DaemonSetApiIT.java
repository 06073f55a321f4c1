package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apps/v1 DaemonSets and ControllerRevisions with the real kubectl: served with upstream's
 * defaults, columns and validation messages, bad input refused with a 422 and nothing stored.
 */
class DaemonSetApiIT {

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

  private static String daemonSet(String name, String podLabel, String extraSpec) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: %s
        spec:
          selector:
            matchLabels:
              app: agent
        %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              nodeSelector:
                disk: ssd
              containers:
              - name: agent
                image: nauta/busybox:local
        """
        .formatted(name, extraSpec.indent(2).stripTrailing(), podLabel);
  }

  private static Kubectl.Result apply(String verb, String yaml) {
    return kubectl.runWithInput(yaml, verb, "-f", "-");
  }

  @Test
  void aDaemonSetIsServedWithUpstreamsDefaultsAndColumns() {
    Kubectl.Result created = apply("create", daemonSet("agent", "agent", ""));
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.stdout()).contains("daemonset.apps/agent created");

    Kubectl.Result yaml = kubectl.run("get", "ds", "agent", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(yaml.stdout())
        .contains(
            "revisionHistoryLimit: 10",
            "maxSurge: 0",
            "maxUnavailable: 1",
            "type: RollingUpdate",
            "generation: 1",
            "restartPolicy: Always",
            "desiredNumberScheduled: 0");

    Kubectl.Result table = kubectl.run("get", "daemonsets");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.stdout().lines().findFirst().orElseThrow())
        .matches("NAME +DESIRED +CURRENT +READY +UP-TO-DATE +AVAILABLE +NODE SELECTOR +AGE");
    assertThat(table.stdout()).containsPattern("agent +0 +0 +0 +0 +0 +disk=ssd +\\d+s");

    Kubectl.Result wide = kubectl.run("get", "ds", "-o", "wide");
    assertThat(wide.stdout().lines().findFirst().orElseThrow())
        .endsWith("AGE   CONTAINERS   IMAGES                SELECTOR");
    assertThat(wide.stdout()).contains("agent        nauta/busybox:local   app=agent");

    // a spec change bumps the generation; the status subresource does not
    Kubectl.Result patched =
        kubectl.run(
            "patch", "ds", "agent", "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":5}}");
    assertThat(patched.exitCode()).as(patched.toString()).isZero();
    String generations =
        "jsonpath={.metadata.generation}"
            + " {.metadata.annotations.deprecated\\.daemonset\\.template\\.generation}";
    // the template did not change: its generation stays
    assertThat(kubectl.run("get", "ds", "agent", "-o", generations).stdout()).isEqualTo("2 1");
    assertThat(kubectl.run("set", "image", "ds/agent", "agent=nauta/busybox:v2").exitCode())
        .isZero();
    assertThat(kubectl.run("get", "ds", "agent", "-o", generations).stdout()).isEqualTo("3 2");
    // whatever a client sends, the server keeps counting
    assertThat(
            kubectl
                .run(
                    "annotate",
                    "--overwrite",
                    "ds",
                    "agent",
                    "deprecated.daemonset.template.generation=9")
                .exitCode())
        .isZero();
    assertThat(kubectl.run("get", "ds", "agent", "-o", generations).stdout()).isEqualTo("3 2");
    Kubectl.Result status =
        kubectl.run(
            "patch",
            "ds",
            "agent",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"desiredNumberScheduled\":3}}");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(
            kubectl
                .run(
                    "get",
                    "ds",
                    "agent",
                    "-o",
                    "jsonpath={.metadata.generation} {.status.desiredNumberScheduled}")
                .stdout())
        .isEqualTo("3 3");
    // the status subresource refuses what upstream's status validation refuses
    Kubectl.Result negative =
        kubectl.run(
            "patch",
            "ds",
            "agent",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"numberReady\":-1,\"collisionCount\":2}}");
    assertThat(negative.exitCode()).as(negative.toString()).isNotZero();
    assertThat(negative.stderr())
        .contains(
            "The DaemonSet \"agent\" is invalid: status.numberReady: Invalid value: -1: must be"
                + " greater than or equal to 0");
    assertThat(
            kubectl
                .run(
                    "patch",
                    "ds",
                    "agent",
                    "--subresource=status",
                    "--type=merge",
                    "-p",
                    "{\"status\":{\"collisionCount\":2}}")
                .exitCode())
        .isZero();
    Kubectl.Result decremented =
        kubectl.run(
            "patch",
            "ds",
            "agent",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"collisionCount\":1}}");
    assertThat(decremented.stderr())
        .contains("status.collisionCount: Invalid value: 1: cannot be decremented");
  }

  @Test
  void badDaemonSetsAreRefusedWithUpstreamsMessages() {
    assertInvalid(
        daemonSet("mismatch", "other", ""),
        "The DaemonSet \"mismatch\" is invalid: spec.template.metadata.labels: Invalid value:"
            + " map[string]string{\"app\":\"other\"}: `selector` does not match template"
            + " `labels`");
    assertInvalid(
        daemonSet(
            "both",
            "agent",
            """
            updateStrategy:
              rollingUpdate:
                maxUnavailable: 1
                maxSurge: 1
            """),
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when"
            + " maxUnavailable is non-zero");
    assertInvalid(
        daemonSet(
            "neither",
            "agent",
            """
            updateStrategy:
              rollingUpdate:
                maxUnavailable: 0
            """),
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when"
            + " maxSurge is 0");
    assertInvalid(
        daemonSet(
            "percent",
            "agent",
            """
            updateStrategy:
              rollingUpdate:
                maxUnavailable: 120%
            """),
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be"
            + " greater than 100%");
    assertInvalid(
        daemonSet(
            "unknown",
            "agent",
            """
            updateStrategy:
              type: Sometimes
            """),
        "spec.updateStrategy: Unsupported value:"
            + " apps.DaemonSetUpdateStrategy{Type:\"Sometimes\","
            + " RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values:"
            + " \"RollingUpdate\", \"OnDelete\"");
    assertInvalid(
        daemonSet("never", "agent", "")
            .replace("      containers:", "      restartPolicy: Never\n      containers:"),
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values:"
            + " \"Always\"");
    assertInvalid(
        daemonSet("empty", "agent", "").replace("    matchLabels:\n      app: agent\n", "    {}\n"),
        "empty selector is invalid for daemonset");
    for (String name :
        new String[] {"mismatch", "both", "neither", "percent", "unknown", "never", "empty"}) {
      assertThat(kubectl.run("get", "ds", name).stderr())
          .contains("daemonsets.apps \"" + name + "\" not found");
    }
  }

  @Test
  void theSelectorOfADaemonSetCannotChange() {
    assertThat(apply("create", daemonSet("fixed", "agent", "")).exitCode()).isZero();
    Kubectl.Result changed =
        apply(
            "replace",
            daemonSet("fixed", "agent", "")
                .replaceAll("(?m)^      app: agent$", "      app: agent\n      tier: x")
                .replaceAll("(?m)^        app: agent$", "        app: agent\n        tier: x"));
    assertThat(changed.exitCode()).as(changed.toString()).isNotZero();
    assertThat(changed.stderr())
        .contains("The DaemonSet \"fixed\" is invalid: spec.selector: Invalid value:")
        .contains("field is immutable");
  }

  @Test
  void controllerRevisionsAreServedWithTheirControllerAndImmutableData() {
    String revision =
        """
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata:
          name: agent-5d8f7c
          ownerReferences:
          - apiVersion: apps/v1
            kind: DaemonSet
            name: agent
            uid: 3f1c2a7e-0000-4000-8000-000000000001
            controller: true
        revision: 2
        data:
          spec:
            template:
              $patch: replace
        """;
    Kubectl.Result created = apply("create", revision);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.stdout()).contains("controllerrevision.apps/agent-5d8f7c created");
    Kubectl.Result table = kubectl.run("get", "controllerrevisions");
    assertThat(table.stdout().lines().findFirst().orElseThrow())
        .matches("NAME +CONTROLLER +REVISION +AGE");
    assertThat(table.stdout()).containsPattern("agent-5d8f7c +daemonset.apps/agent +2 +\\d+s");

    Kubectl.Result changed =
        kubectl.run(
            "patch",
            "controllerrevision",
            "agent-5d8f7c",
            "--type=merge",
            "-p",
            "{\"data\":{\"spec\":{\"x\":1}}}");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.stderr()).contains("data: Invalid value:").contains("field is immutable");

    Kubectl.Result noData =
        apply("create", revision.replace("agent-5d8f7c", "nodata").split("\ndata:")[0]);
    assertThat(noData.exitCode()).isNotZero();
    assertThat(noData.stderr()).contains("data: Required value: data is mandatory");
  }

  @Test
  void rolesGrantDaemonSetsAsUpstream() {
    assertThat(
            kubectl
                .run(
                    "auth",
                    "can-i",
                    "create",
                    "daemonsets.apps",
                    "--as=system:serviceaccount:default:x",
                    "--as-group=system:serviceaccounts")
                .stdout())
        .startsWith("no");
    Kubectl.Result role =
        kubectl.run("get", "clusterrole", "system:controller:daemon-set-controller", "-o", "yaml");
    assertThat(role.exitCode()).as(role.toString()).isZero();
    assertThat(role.stdout()).contains("controllerrevisions", "daemonsets/status");
    Kubectl.Result view = kubectl.run("get", "clusterrole", "view", "-o", "yaml");
    assertThat(view.stdout()).contains("daemonsets", "controllerrevisions");
    Kubectl.Result edit =
        kubectl.run("get", "clusterrole", "system:aggregate-to-edit", "-o", "yaml");
    assertThat(edit.stdout()).contains("daemonsets");
  }

  private static void assertInvalid(String yaml, String message) {
    Kubectl.Result r = apply("create", yaml);
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).as(r.toString()).contains(message);
  }
}
