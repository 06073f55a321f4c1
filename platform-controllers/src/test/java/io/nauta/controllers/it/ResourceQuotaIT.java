package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issue 20's quota acceptance with the quota controller running: concurrent creates never pass a
 * quota together (requests.cpu and pods), a deleted or finished pod frees its room once the
 * controller has recounted, {@code kubectl describe quota} shows used and hard, and LimitRange
 * defaults and minimums reach pods through admission.
 */
class ResourceQuotaIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Kubectl kubectl;
  private static ResourceClient<Pod> pods;
  private static ResourceClient<ResourceQuota> quotas;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(0, "4");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    quotas = cluster.client.resource(BuiltInResources.RESOURCE_QUOTAS, ResourceQuota.class);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void twentyConcurrentPodsOfAQuarterCpuFitFourInOneCpu() {
    namespace("cpu");
    quota("cpu", Map.of("requests.cpu", "1"));

    List<String> refusals = createConcurrently("cpu", 20, "250m");

    assertThat(pods("cpu")).hasSize(4);
    assertThat(refusals).hasSize(16);
    assertThat(refusals)
        .allSatisfy(
            m ->
                assertThat(m)
                    .matches(
                        "pods \"p-[0-9]+\" is forbidden: exceeded quota: q, requested:"
                            + " requests.cpu=250m, used: requests.cpu=1, limited: requests.cpu=1"));
    await().atMost(WAIT).until(() -> used("cpu").equals(Map.of("requests.cpu", "1")));
    // the controller's recount agrees with what admission charged
    Kubectl.Result describe = kubectl.run("-n", "cpu", "describe", "quota", "q");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.stdout())
        .contains("Name:")
        .containsPattern("Resource\\s+Used\\s+Hard")
        .containsPattern("requests\\.cpu\\s+1\\s+1");
    Kubectl.Result get = kubectl.run("-n", "cpu", "get", "quota");
    assertThat(get.stdout()).containsPattern("q\\s+\\S+\\s+requests\\.cpu: 1/1");
    // a pod stating no cpu request is refused by name of what it misses
    assertThat(refusal(() -> pods.create(pod("cpu", "bare", null)).block()))
        .isEqualTo("pods \"bare\" is forbidden: failed quota: q: must specify requests.cpu for: c");
  }

  @Test
  void aPodCountQuotaAdmitsThreeAndADeletedPodFreesRoomForOne() {
    namespace("count");
    quota("count", Map.of("pods", "3"));

    List<String> refusals = createConcurrently("count", 20, null);

    List<Pod> admitted = pods("count");
    assertThat(admitted).hasSize(3);
    assertThat(refusals)
        .hasSize(17)
        .allSatisfy(
            m ->
                assertThat(m)
                    .contains(
                        "exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3"));

    pods.delete("count", admitted.get(0).getMetadata().getName()).block();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> create(pod("count", "again", null)));
    assertThat(refusal(() -> pods.create(pod("count", "over", null)).block()))
        .contains("exceeded quota: q");
    assertThat(pods("count")).hasSize(3);

    // a pod that finished no longer counts
    pods.patchStatus(
            "count",
            "again",
            io.nauta.core.client.PatchType.MERGE,
            "{\"status\": {\"phase\": \"Succeeded\"}}")
        .block();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> create(pod("count", "after-done", null)));
    assertThat(pods("count")).hasSize(4);
    await().atMost(WAIT).until(() -> used("count").equals(Map.of("pods", "3")));
  }

  @Test
  void anObjectCountOfAnotherGroupIsCountedAndFreedOnDelete() {
    namespace("apps");
    quota("apps", Map.of("count/replicasets.apps", "1"));
    ResourceClient<ReplicaSet> sets =
        cluster.client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);

    sets.create(replicaSet("one")).block();
    assertThat(refusal(() -> sets.create(replicaSet("two")).block()))
        .isEqualTo(
            "replicasets.apps \"two\" is forbidden: exceeded quota: q, requested:"
                + " count/replicasets.apps=1, used: count/replicasets.apps=1, limited:"
                + " count/replicasets.apps=1");
    sets.delete("apps", "one").block();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                sets.create(replicaSet("two")).block();
                return true;
              } catch (ForbiddenException e) {
                return false;
              }
            });
  }

  private static ReplicaSet replicaSet(String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apps")
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void limitRangeDefaultsAndMinimumsApplyToNewPods() {
    namespace("lr");
    LimitRange lr =
        new LimitRangeBuilder()
            .withNewMetadata()
            .withName("limits")
            .withNamespace("lr")
            .endMetadata()
            .withNewSpec()
            .addNewLimit()
            .withType("Container")
            .withDefault(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")))
            .withDefaultRequest(Map.of("cpu", new Quantity("200m")))
            .withMin(Map.of("cpu", new Quantity("100m")))
            .endLimit()
            .endSpec()
            .build();
    cluster.client.resource(BuiltInResources.LIMIT_RANGES, LimitRange.class).create(lr).block();

    Pod created = pods.create(pod("lr", "plain", null)).block();

    var resources = created.getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests())
        .containsEntry("cpu", new Quantity("200m"))
        .containsEntry("memory", new Quantity("256Mi")); // the default limit, as defaultRequest
    assertThat(resources.getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(created.getMetadata().getAnnotations())
        .containsEntry(
            "kubernetes.io/limit-ranger",
            "LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for"
                + " container c");
    assertThat(refusal(() -> pods.create(pod("lr", "small", "50m")).block()))
        .isEqualTo(
            "pods \"small\" is forbidden: minimum cpu usage per Container is 100m, but request is"
                + " 50m");
    Kubectl.Result describe = kubectl.run("-n", "lr", "describe", "limits", "limits");
    assertThat(describe.stdout()).containsPattern("Container\\s+cpu\\s+100m\\s+-\\s+200m\\s+500m");
  }

  // ---- support

  private static List<String> createConcurrently(String ns, int n, String cpu) {
    return Flux.merge(
            IntStream.range(0, n)
                .mapToObj(
                    i ->
                        pods.create(pod(ns, "p-" + i, cpu))
                            .map(p -> "")
                            .onErrorResume(
                                ForbiddenException.class, e -> Mono.just(e.getMessage())))
                .toList())
        .filter(m -> !m.isEmpty())
        .collectList()
        .block();
  }

  private static boolean create(Pod pod) {
    try {
      pods.create(pod).block();
      return true;
    } catch (ForbiddenException e) {
      return false;
    }
  }

  private static String refusal(Runnable r) {
    try {
      r.run();
    } catch (ForbiddenException e) {
      return e.getMessage();
    }
    throw new AssertionError("not refused");
  }

  private static void namespace(String name) {
    cluster
        .client
        .resource(BuiltInResources.NAMESPACES, io.fabric8.kubernetes.api.model.Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .block();
  }

  /** A quota named q, waited for until the controller has counted it. */
  private static void quota(String ns, Map<String, String> hard) {
    ResourceQuotaBuilder b =
        new ResourceQuotaBuilder().withNewMetadata().withName("q").withNamespace(ns).endMetadata();
    var spec = b.withNewSpec();
    hard.forEach((k, v) -> spec.addToHard(k, new Quantity(v)));
    quotas.create(spec.endSpec().build()).block();
    await().atMost(WAIT).until(() -> used(ns).keySet().equals(hard.keySet()));
  }

  private static Map<String, String> used(String ns) {
    ResourceQuota q = quotas.get(ns, "q").block();
    if (q.getStatus() == null || q.getStatus().getUsed() == null) {
      return Map.of();
    }
    return q.getStatus().getUsed().entrySet().stream()
        .collect(
            java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
  }

  private static List<Pod> pods(String ns) {
    return pods.list(ns, ListOptions.none()).block().items();
  }

  private static Pod pod(String ns, String name, String cpu) {
    PodBuilder b =
        new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata();
    var c = b.withNewSpec().addNewContainer().withName("c").withImage("busybox");
    if (cpu != null) {
      c.withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources();
    }
    return c.endContainer().endSpec().build();
  }
}
