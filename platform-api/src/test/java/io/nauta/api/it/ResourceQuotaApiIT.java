package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v1 ResourceQuotas and LimitRanges with the real kubectl and no controller manager (the test
 * writes a quota's status as the quota controller would): validation messages, the spec/status
 * split, {@code kubectl get quota|limits} columns, and what admission charges and refuses — object
 * counts, compute resources, node ports, storage, scopes; a dry run and a failed write charge
 * nothing.
 */
class ResourceQuotaApiIT {

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

  private static Kubectl.Result create(String ns, String yaml) {
    return kubectl.runWithInput(yaml, "-n", ns, "create", "-f", "-");
  }

  private static String ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.stdout();
  }

  private static void namespace(String ns) {
    ok("create", "namespace", ns);
  }

  /** A quota q with {@code hard}, its status written as the controller writes a fresh one. */
  private static void quota(String ns, String hard, String scopes) {
    Kubectl.Result r =
        create(
            ns,
            """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: q
            spec:
              hard: {%s}
              %s
            """
                .formatted(hard, scopes));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String used = hard.replaceAll(":\\s*\"?[^,\"]+\"?", ": \"0\"");
    ok(
        "-n",
        ns,
        "patch",
        "quota",
        "q",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\": {\"hard\": {" + hard + "}, \"used\": {" + used + "}}}");
  }

  private static String used(String ns, String resource) {
    return ok(
        "-n",
        ns,
        "get",
        "quota",
        "q",
        "-o",
        "jsonpath={.status.used." + resource.replace(".", "\\.").replace("/", "\\/") + "}");
  }

  private static String pod(String name, String resources) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: c
            image: busybox
            resources: %s
        """
        .formatted(name, resources);
  }

  @Test
  void badQuotasAndLimitRangesAreRefusedWithUpstreamsMessages() {
    namespace("bad");
    Kubectl.Result r =
        create(
            "bad",
            """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: q
            spec:
              hard: {cpus: "1", pods: "1500m"}
              scopes: [BestEffort, NotBestEffort]
            """);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains("The ResourceQuota \"q\" is invalid")
        .contains("spec.hard[cpus]: Invalid value: \"cpus\": must be a standard resource for quota")
        .contains("spec.hard[pods]: Invalid value: \"1500m\": must be an integer")
        .contains(
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes");
    r =
        create(
            "bad",
            """
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: l
            spec:
              limits:
              - type: Container
                min: {cpu: "1"}
                max: {cpu: 500m}
            """);
    assertThat(r.stderr())
        .contains("The LimitRange \"l\" is invalid")
        .contains(
            "spec.limits[0].min[cpu]: Invalid value: \"1\": min value 1 is greater than max value 500m");
    assertThat(ok("-n", "bad", "get", "quota,limits", "-o", "name")).isEmpty();
  }

  @Test
  void statusIsWrittenOnlyThroughItsSubresourceAndPrintsAsUsedOverHard() {
    namespace("split");
    quota("split", "\"pods\": \"5\", \"requests.cpu\": \"1\", \"limits.memory\": \"2Gi\"", "");
    ok(
        "-n",
        "split",
        "patch",
        "quota",
        "q",
        "--type=merge",
        "-p",
        "{\"spec\": {\"hard\": {\"pods\": \"6\"}}, \"status\": {\"used\": {\"pods\": \"4\"}}}");
    ok(
        "-n",
        "split",
        "patch",
        "quota",
        "q",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"spec\": {\"hard\": {\"pods\": \"1\"}}, \"status\": {\"used\": {\"requests.cpu\": \"250m\"}}}");
    assertThat(ok("-n", "split", "get", "quota", "q", "-o", "jsonpath={.spec.hard.pods}"))
        .isEqualTo("6");
    assertThat(used("split", "pods")).isEqualTo("0");
    String table = ok("-n", "split", "get", "quota");
    assertThat(table.lines().findFirst().orElse("")).matches("NAME\\s+AGE\\s+REQUEST\\s+LIMIT");
    assertThat(table).contains("pods: 0/5, requests.cpu: 250m/1").contains("limits.memory: 0/2Gi");
    assertThat(
            create(
                    "split",
                    """
                    apiVersion: v1
                    kind: LimitRange
                    metadata:
                      name: l
                    spec:
                      limits:
                      - type: Container
                        max: {cpu: "1"}
                    """)
                .exitCode())
        .isZero();
    assertThat(ok("-n", "split", "get", "limits"))
        .containsPattern("NAME\\s+CREATED AT\\n")
        .containsPattern("l\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    // LimitRange defaults: the max is the default limit, which is the default request
    assertThat(
            ok(
                "-n",
                "split",
                "get",
                "limits",
                "l",
                "-o",
                "jsonpath={.spec.limits[0].defaultRequest.cpu}"))
        .isEqualTo("1");
  }

  @Test
  void admissionChargesWhatIsCreatedAndRefusesWhatDoesNotFit() {
    namespace("charge");
    quota(
        "charge",
        "\"pods\": \"2\", \"requests.cpu\": \"1\", \"services.nodeports\": \"1\","
            + " \"count/configmaps\": \"1\", \"requests.storage\": \"3Gi\"",
        "");
    assertThat(
            kubectl
                .runWithInput(
                    pod("dry", "{requests: {cpu: 500m}}"),
                    "-n",
                    "charge",
                    "create",
                    "--dry-run=server",
                    "-f",
                    "-")
                .exitCode())
        .isZero();
    assertThat(used("charge", "requests.cpu")).isEqualTo("0");

    assertThat(create("charge", pod("a", "{requests: {cpu: 500m}}")).exitCode()).isZero();
    assertThat(used("charge", "requests.cpu")).isEqualTo("500m");
    assertThat(used("charge", "pods")).isEqualTo("1");
    assertThat(ok("-n", "charge", "get", "quota", "q", "-o", "jsonpath={.metadata.annotations}"))
        .doesNotContain("reservations");
    // a write that fails after admission gives its charge back
    assertThat(create("charge", pod("a", "{requests: {cpu: 100m}}")).stderr())
        .contains("AlreadyExists");
    assertThat(used("charge", "requests.cpu")).isEqualTo("500m");

    assertThat(create("charge", pod("bare", "{}")).stderr())
        .contains("pods \"bare\" is forbidden: failed quota: q: must specify requests.cpu for: c");
    assertThat(create("charge", pod("big", "{requests: {cpu: 600m}}")).stderr())
        .contains(
            "pods \"big\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used:"
                + " requests.cpu=500m, limited: requests.cpu=1");

    Kubectl.Result svc =
        kubectl.run(
            "-n", "charge", "create", "service", "nodeport", "web", "--tcp=80:80", "--tcp=443:443");
    assertThat(svc.stderr())
        .contains(
            "services \"web\" is forbidden: exceeded quota: q, requested: services.nodeports=2,"
                + " used: services.nodeports=0, limited: services.nodeports=1");
    assertThat(
            kubectl
                .run("-n", "charge", "create", "service", "clusterip", "ip", "--tcp=80:80")
                .exitCode())
        .isZero();

    ok("-n", "charge", "create", "configmap", "one");
    assertThat(kubectl.run("-n", "charge", "create", "configmap", "two").stderr())
        .contains(
            "configmaps \"two\" is forbidden: exceeded quota: q, requested: count/configmaps=1,"
                + " used: count/configmaps=1, limited: count/configmaps=1");

    String claim =
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %s
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: %s}}
        """;
    assertThat(create("charge", claim.formatted("data", "2Gi")).exitCode()).isZero();
    assertThat(used("charge", "requests.storage")).isEqualTo("2Gi");
    assertThat(create("charge", claim.formatted("more", "2Gi")).stderr())
        .contains(
            "exceeded quota: q, requested: requests.storage=2Gi, used: requests.storage=2Gi,"
                + " limited: requests.storage=3Gi");
  }

  @Test
  void growingAClaimIsChargedTheDifference() {
    namespace("grow");
    assertThat(
            kubectl
                .runWithInput(
                    """
                    apiVersion: storage.k8s.io/v1
                    kind: StorageClass
                    metadata:
                      name: growing
                    provisioner: example.com/none
                    allowVolumeExpansion: true
                    """,
                    "create",
                    "-f",
                    "-")
                .exitCode())
        .isZero();
    quota(
        "grow",
        "\"requests.storage\": \"2Gi\", \"growing.storageclass.storage.k8s.io/persistentvolumeclaims\": \"1\"",
        "");
    assertThat(
            create(
                    "grow",
                    """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata:
                      name: data
                    spec:
                      storageClassName: growing
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                    """)
                .exitCode())
        .isZero();
    assertThat(used("grow", "requests.storage")).isEqualTo("1Gi");
    assertThat(used("grow", "growing.storageclass.storage.k8s.io/persistentvolumeclaims"))
        .isEqualTo("1");
    ok(
        "-n",
        "grow",
        "patch",
        "pvc",
        "data",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\": {\"phase\": \"Bound\", \"capacity\": {\"storage\": \"1Gi\"}}}");
    String resize = "{\"spec\": {\"resources\": {\"requests\": {\"storage\": \"%s\"}}}}";
    assertThat(
            kubectl
                .run(
                    "-n",
                    "grow",
                    "patch",
                    "pvc",
                    "data",
                    "--type=merge",
                    "-p",
                    resize.formatted("3Gi"))
                .stderr())
        .contains(
            "persistentvolumeclaims \"data\" is forbidden: exceeded quota: q, requested:"
                + " requests.storage=2Gi, used: requests.storage=1Gi, limited: requests.storage=2Gi");
    ok("-n", "grow", "patch", "pvc", "data", "--type=merge", "-p", resize.formatted("2Gi"));
    assertThat(used("grow", "requests.storage")).isEqualTo("2Gi");
  }

  @Test
  void scopedQuotasCountOnlyThePodsInTheirScope() {
    namespace("scoped");
    quota("scoped", "\"pods\": \"1\"", "scopes: [BestEffort]");
    assertThat(create("scoped", pod("be1", "{}")).exitCode()).isZero();
    assertThat(create("scoped", pod("be2", "{}")).stderr())
        .contains("exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1");
    assertThat(create("scoped", pod("burstable", "{requests: {memory: 1Mi}}")).exitCode()).isZero();

    namespace("priority");
    quota(
        "priority",
        "\"pods\": \"1\"",
        "scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}");
    String high =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          priorityClassName: high
          containers:
          - name: c
            image: busybox
        """;
    assertThat(create("priority", high.formatted("h1")).exitCode()).isZero();
    assertThat(create("priority", high.formatted("h2")).stderr()).contains("exceeded quota: q");
    assertThat(create("priority", pod("low", "{}")).exitCode()).isZero();
  }

  @Test
  void limitRangesCapClaimsAndPods() {
    namespace("capped");
    assertThat(
            create(
                    "capped",
                    """
                    apiVersion: v1
                    kind: LimitRange
                    metadata:
                      name: l
                    spec:
                      limits:
                      - type: PersistentVolumeClaim
                        max: {storage: 1Gi}
                      - type: Pod
                        max: {memory: 1Gi}
                      - type: Container
                        maxLimitRequestRatio: {cpu: "2"}
                    """)
                .exitCode())
        .isZero();
    assertThat(
            create(
                    "capped",
                    """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata:
                      name: big
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 2Gi}}
                    """)
                .stderr())
        .contains(
            "persistentvolumeclaims \"big\" is forbidden: maximum storage usage per"
                + " PersistentVolumeClaim is 1Gi, but request is 2Gi");
    assertThat(
            create(
                    "capped",
                    pod(
                        "p",
                        "{requests: {cpu: 100m, memory: 2Gi}, limits: {cpu: 300m, memory: 2Gi}}"))
                .stderr())
        .contains(
            "pods \"p\" is forbidden: [maximum memory usage per Pod is 1Gi, but limit is 2Gi,"
                + " cpu max limit to request ratio per Container is 2, but provided ratio is"
                + " 3.000000]");
  }

  @Test
  void aPodsQosClassIsThatOfThePodLimitRangerDefaulted() {
    namespace("qos");
    assertThat(
            create(
                    "qos",
                    """
                    apiVersion: v1
                    kind: LimitRange
                    metadata:
                      name: l
                    spec:
                      limits:
                      - type: Container
                        default: {cpu: 200m, memory: 64Mi}
                    """)
                .exitCode())
        .isZero();
    // No resources given: LimitRanger makes limits = requests, so the pod is Guaranteed, as
    // upstream's PrepareForCreate (after mutating admission) classes it, not BestEffort.
    assertThat(create("qos", pod("p", "{}")).exitCode()).isZero();
    assertThat(ok("-n", "qos", "get", "pod", "p", "-o", "jsonpath={.status.qosClass}"))
        .isEqualTo("Guaranteed");
  }
}
