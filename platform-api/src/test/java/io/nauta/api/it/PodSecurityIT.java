package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pod Security Admission with the real kubectl, on a server with the default settings (baseline
 * enforced, warned and audited where a namespace says nothing; kube-system exempt) and the audit
 * log on: upstream's refusals, warnings, audit annotations and namespace label checks.
 */
class PodSecurityIT {

  private static final Path POLICY = Path.of("..", "deploy", "audit-policy.yaml");

  private static TestApiServer server;
  private static Kubectl kubectl;
  private static Path log;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    log = dir.resolve("audit.log");
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.audit.policy-file=" + POLICY.toAbsolutePath(),
            "nauta.audit.log-path=" + log,
            "nauta.pod-security.exemptions.usernames=trusted");
    kubectl = new Kubectl(server.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static void namespace(String name, String... labels) {
    ok(kubectl.run("create", "namespace", name));
    if (labels.length > 0) {
      String[] args = new String[labels.length + 3];
      args[0] = "label";
      args[1] = "namespace";
      args[2] = name;
      System.arraycopy(labels, 0, args, 3, labels.length);
      ok(kubectl.run(args));
    }
  }

  private static Kubectl.Result create(String namespace, String yaml) {
    return kubectl.runWithInput(yaml, "-n", namespace, "create", "-f", "-");
  }

  private static final String PRIVILEGED_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: x}
      spec:
        containers:
        - name: c
          image: nauta/busybox:local
          securityContext: {privileged: true}
      """;

  private static final String PLAIN_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: %s}
      spec:
        containers:
        - {name: c, image: nauta/busybox:local}
      """;

  private static final String HOST_PATH_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: h}
      spec:
        volumes: [{name: host, hostPath: {path: /tmp}}]
        containers:
        - {name: c, image: nauta/busybox:local}
      """;

  @Test
  void aRestrictedNamespaceRefusesAPrivilegedPodListingEachViolation() {
    namespace("strict", "pod-security.kubernetes.io/enforce=restricted");

    Kubectl.Result refused = create("strict", PRIVILEGED_POD);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr().strip())
        .isEqualTo(
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"x\" is"
                + " forbidden: violates PodSecurity \"restricted:latest\": privileged (container"
                + " \"c\" must not set securityContext.privileged=true), allowPrivilegeEscalation"
                + " != false (container \"c\" must set"
                + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                + " (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]),"
                + " runAsNonRoot != true (pod or container \"c\" must set"
                + " securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\""
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
                + " \"Localhost\")");
    assertThat(kubectl.run("-n", "strict", "get", "pod", "x").stderr()).contains("NotFound");

    JsonNode audited = awaitEvent("create", "strict", "x");
    assertThat(audited.path("responseStatus").path("code").asInt()).isEqualTo(403);
    assertThat(
            audited
                .path("annotations")
                .path("pod-security.kubernetes.io/enforce-policy")
                .asString())
        .isEqualTo("restricted:latest");
  }

  @Test
  void warnModeAdmitsThePodWithWarningsKubectlPrintsAndAuditModeAnnotatesTheEvent() {
    namespace(
        "warned",
        "pod-security.kubernetes.io/warn=restricted",
        "pod-security.kubernetes.io/audit=restricted");

    Kubectl.Result created = ok(create("warned", PLAIN_POD.formatted("w")));

    String violation =
        "would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"
            + " (container \"c\" must set securityContext.allowPrivilegeEscalation=false),"
            + " unrestricted capabilities (container \"c\" must set"
            + " securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or"
            + " container \"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod"
            + " or container \"c\" must set securityContext.seccompProfile.type to"
            + " \"RuntimeDefault\" or \"Localhost\")";
    assertThat(created.stderr().strip()).isEqualTo("Warning: " + violation);
    assertThat(created.stdout()).contains("pod/w created");

    JsonNode audited = awaitEvent("create", "warned", "w");
    assertThat(
            audited
                .path("annotations")
                .path("pod-security.kubernetes.io/audit-violations")
                .asString())
        .isEqualTo(violation);
    assertThat(
            audited
                .path("annotations")
                .path("pod-security.kubernetes.io/enforce-policy")
                .asString())
        .isEqualTo("baseline:latest");
  }

  @Test
  void baselineIsEnforcedByDefaultButNotInKubeSystem() {
    namespace("plain");

    Kubectl.Result refused = create("plain", HOST_PATH_POD);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains(
            "pods \"h\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes"
                + " (volume \"host\")");
    // The default is not written into the namespace.
    assertThat(ok(kubectl.run("get", "namespace", "plain", "--show-labels")).stdout())
        .doesNotContain("pod-security");

    Kubectl.Result exempt = ok(create("kube-system", HOST_PATH_POD));
    assertThat(exempt.stderr()).isEmpty();
    ok(kubectl.run("-n", "kube-system", "delete", "pod", "h", "--wait=false"));

    // A workload is never refused: its template only warns.
    Kubectl.Result deployment =
        ok(
            create(
                "plain",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      hostNetwork: true
                      containers: [{name: c, image: nauta/busybox:local}]
                """));
    assertThat(deployment.stderr())
        .contains(
            "Warning: would violate PodSecurity \"baseline:latest\": host namespaces"
                + " (hostNetwork=true)");
  }

  @Test
  void aStricterEnforceLabelWarnsAboutExistingPodsThatWouldViolateIt() {
    namespace("existing");
    ok(create("existing", PLAIN_POD.formatted("b")));
    ok(create("existing", PLAIN_POD.formatted("a")));

    Kubectl.Result labelled =
        ok(
            kubectl.run(
                "label", "namespace", "existing", "pod-security.kubernetes.io/enforce=restricted"));

    assertThat(labelled.stderr().strip().lines())
        .containsExactly(
            "Warning: existing pods in namespace \"existing\" violate the new PodSecurity enforce"
                + " level \"restricted:latest\"",
            "Warning: a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted"
                + " capabilities, runAsNonRoot != true, seccompProfile");
    assertThat(labelled.stdout()).contains("namespace/existing labeled");

    // An update is checked only when it changes what could make the pod violate: an image.
    ok(kubectl.run("-n", "existing", "label", "pod", "a", "touched=yes"));
    Kubectl.Result image =
        kubectl.run("-n", "existing", "set", "image", "pod/a", "c=nauta/busybox:other");
    assertThat(image.exitCode()).isNotZero();
    assertThat(image.stderr())
        .contains("pods \"a\" is forbidden: violates PodSecurity \"restricted:latest\"");
  }

  @Test
  void anExemptUserIsNotChecked() {
    namespace("exempting", "pod-security.kubernetes.io/enforce=restricted");
    Kubectl trusted = new Kubectl(server.kubeconfigAs("trusted", "system:masters"));

    Kubectl.Result created =
        ok(trusted.runWithInput(PRIVILEGED_POD, "-n", "exempting", "create", "-f", "-"));

    assertThat(created.stderr()).isEmpty();
    assertThat(
            awaitEvent("create", "exempting", "x")
                .path("annotations")
                .path("pod-security.kubernetes.io/exempt")
                .asString())
        .isEqualTo("user");
  }

  @Test
  void aLabelThatIsNoLevelIsRefusedAndNothingChanges() {
    namespace("typo");

    Kubectl.Result refused =
        kubectl.run("label", "namespace", "typo", "pod-security.kubernetes.io/enforce=foo");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr().strip())
        .isEqualTo(
            "The Namespace \"typo\" is invalid:"
                + " metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"foo\":"
                + " must be one of privileged, baseline, restricted");
    assertThat(ok(kubectl.run("get", "namespace", "typo", "--show-labels")).stdout())
        .doesNotContain("pod-security");
    Kubectl.Result version =
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: typo2
              labels: {pod-security.kubernetes.io/warn-version: "1.30"}
            """,
            "create",
            "-f",
            "-");
    assertThat(version.stderr())
        .contains(
            "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.30\":"
                + " must be \"latest\" or \"v1.x\"");
  }

  // ---- the audit log

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode awaitEvent(String verb, String namespace, String name) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!Files.exists(log)) {
                return false;
              }
              for (String line : read().lines().toList()) {
                JsonNode e = JSON.readTree(line);
                JsonNode ref = e.path("objectRef");
                if (e.path("verb").asString().equals(verb)
                    && ref.path("resource").asString().equals("pods")
                    && ref.path("namespace").asString().equals(namespace)
                    && ref.path("name").asString().equals(name)
                    && e.path("stage").asString().equals("ResponseComplete")) {
                  found.set(e);
                  return true;
                }
              }
              return false;
            });
    return found.get();
  }

  private static String read() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
