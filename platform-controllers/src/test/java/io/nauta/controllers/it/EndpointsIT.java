package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The endpoints controller against a real API server, scheduler and simulated kubelets. */
class EndpointsIT {

  static final Duration T = Duration.ofSeconds(10);
  static TestCluster cluster;
  static ResourceClient<Pod> pods;
  static ResourceClient<Service> services;
  static ResourceClient<Endpoints> endpoints;
  static ResourceClient<EndpointSlice> slices;
  static Kubectl kubectl;
  @TempDir static Path dir;
  static final Set<String> notReady = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, "8");
    cluster.kubelet.neverReady(p -> notReady.contains(p.getMetadata().getName()));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    services = cluster.client.resource(BuiltInResources.SERVICES, Service.class);
    endpoints = cluster.client.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
    slices = cluster.client.resource(BuiltInResources.ENDPOINT_SLICES, EndpointSlice.class);
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Pod pod(String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  static Service service(String name, Map<String, String> selector) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName(name)
            .addToLabels("tier", "front")
            .endMetadata()
            .withNewSpec()
            .addNewPort()
            .withName("web")
            .withPort(80)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec();
    if (selector != null) {
      b.editSpec().withSelector(selector).endSpec();
    }
    return b.build();
  }

  /** "ready:[pods] notReady:[pods] ports:[...]" of the service's Endpoints, or "none". */
  static String summary(String name) {
    Endpoints ep =
        endpoints
            .get("default", name)
            .onErrorResume(NotFoundException.class, e -> Mono.empty())
            .block(T);
    if (ep == null) {
      return "none";
    }
    List<String> ready = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (EndpointSubset s : ep.getSubsets()) {
      s.getAddresses().forEach(a -> ready.add(podName(a)));
      s.getNotReadyAddresses().forEach(a -> unready.add(podName(a)));
      s.getPorts().forEach(p -> ports.add(p.getName() + ":" + p.getPort()));
    }
    ready.sort(null);
    unready.sort(null);
    return "ready:"
        + ready
        + " notReady:"
        + unready
        + " ports:"
        + ports.stream().distinct().toList();
  }

  static String podName(EndpointAddress a) {
    assertThat(a.getIp()).startsWith("10.244.");
    assertThat(a.getNodeName()).startsWith("node-");
    return a.getTargetRef().getName();
  }

  static void touch(String pod) {
    pods.patch(
            "default",
            pod,
            PatchType.MERGE,
            "{\"metadata\":{\"annotations\":{\"touched\":\"" + System.nanoTime() + "\"}}}")
        .block(T);
  }

  /** "pod:ready/serving/terminating,..." of the service's managed slices, or "none". */
  static String slices(String service) {
    List<EndpointSlice> found =
        slices
            .list(
                "default",
                ListOptions.none()
                    .withLabelSelector(
                        "kubernetes.io/service-name="
                            + service
                            + ",endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io"))
            .block(T)
            .items();
    if (found.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (EndpointSlice s : found) {
      assertThat(s.getAddressType()).isEqualTo("IPv4");
      assertThat(s.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("Service");
                assertThat(o.getName()).isEqualTo(service);
                assertThat(o.getController()).isTrue();
              });
      for (Endpoint e : s.getEndpoints()) {
        assertThat(e.getAddresses()).singleElement().asString().startsWith("10.244.");
        assertThat(e.getNodeName()).startsWith("node-");
        out.add(
            e.getTargetRef().getName()
                + ":"
                + e.getConditions().getReady()
                + "/"
                + e.getConditions().getServing()
                + "/"
                + e.getConditions().getTerminating()
                + " "
                + s.getPorts().stream().map(p -> p.getName() + "=" + p.getPort()).toList());
      }
    }
    out.sort(null);
    return found.size() + " " + out;
  }

  @Test
  void endpointSlicesListEveryPodWithItsConditionsAndGoWithTheSelector() {
    notReady.add("sliced-b");
    services.create(service("sliced", Map.of("app", "sliced"))).block(T);
    // No pods yet: upstream's placeholder, one slice without endpoints.
    await().atMost(T).untilAsserted(() -> assertThat(slices("sliced")).isEqualTo("1 []"));
    for (String p : List.of("sliced-a", "sliced-b")) {
      pods.create(pod(p, "sliced")).block(T);
    }
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(slices("sliced"))
                    .isEqualTo(
                        "1 [sliced-a:true/true/false [web=8080], sliced-b:false/false/false"
                            + " [web=8080]]"));
    EndpointSlice slice =
        slices
            .list(
                "default",
                ListOptions.none().withLabelSelector("kubernetes.io/service-name=sliced"))
            .block(T)
            .items()
            .get(0);
    assertThat(slice.getMetadata().getLabels()).containsEntry("tier", "front");

    // kubectl describe reads the slices (1.33) or the Endpoints (older): both list sliced-a.
    Kubectl.Result described = kubectl.run("-n", "default", "describe", "svc", "sliced");
    assertThat(described.exitCode()).as(described.toString()).isZero();
    String ip = pods.get("default", "sliced-a").block(T).getStatus().getPodIP();
    assertThat(described.stdout())
        .containsPattern("Endpoints:\\s+" + ip.replace(".", "\\.") + ":8080");

    // A deleted pod leaves; the service losing its selector leaves its slices to nobody: gone.
    pods.delete("default", "sliced-a").block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(slices("sliced"))
                    .isEqualTo("1 [sliced-b:false/false/false [web=8080]]"));
    services
        .patch(
            "default",
            "sliced",
            PatchType.JSON,
            "[{\"op\":\"remove\",\"path\":\"/spec/selector\"}]")
        .block(T);
    await().atMost(T).untilAsserted(() -> assertThat(slices("sliced")).isEqualTo("none"));
    services.delete("default", "sliced").block(T);
  }

  @Test
  void endpointsListTheReadyPodsAndFollowReadinessAndDeletion() {
    notReady.add("web-c");
    services.create(service("web", Map.of("app", "web"))).block(T);
    for (String p : List.of("web-a", "web-b", "web-c")) {
      pods.create(pod(p, "web")).block(T);
    }
    pods.create(pod("other", "other")).block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(summary("web"))
                    .isEqualTo("ready:[web-a, web-b] notReady:[web-c] ports:[web:8080]"));
    Endpoints ep = endpoints.get("default", "web").block(T);
    assertThat(ep.getMetadata().getLabels()).containsEntry("tier", "front");

    // web-c turns ready, web-b stops being ready: endpoints follow within a second or so.
    notReady.remove("web-c");
    notReady.add("web-b");
    touch("web-c");
    touch("web-b");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(summary("web"))
                    .isEqualTo("ready:[web-a, web-c] notReady:[web-b] ports:[web:8080]"));

    // A deleted pod leaves (the kubelet finishes its deletion).
    pods.delete("default", "web-a").block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(summary("web"))
                    .isEqualTo("ready:[web-c] notReady:[web-b] ports:[web:8080]"));

    // A pod whose labels stop matching leaves too.
    pods.patch("default", "web-c", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"app\":\"x\"}}}")
        .block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(summary("web")).isEqualTo("ready:[] notReady:[web-b] ports:[web:8080]"));

    // Deleting the service deletes its Endpoints.
    services.delete("default", "web").block(T);
    await().atMost(T).untilAsserted(() -> assertThat(summary("web")).isEqualTo("none"));
  }

  @Test
  void endpointsAreNotRewrittenWhenNothingTheyShowChanged() {
    services.create(service("steady", Map.of("app", "steady"))).block(T);
    pods.create(pod("steady-a", "steady")).block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(summary("steady"))
                    .isEqualTo("ready:[steady-a] notReady:[] ports:[web:8080]"));
    String rv = endpoints.get("default", "steady").block(T).getMetadata().getResourceVersion();
    // The service changes in a way that does not matter to its Endpoints: it is reconciled again,
    // and nothing is written.
    services
        .patch(
            "default", "steady", PatchType.MERGE, "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}")
        .block(T);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(
            () ->
                rv.equals(
                    endpoints
                        .get("default", "steady")
                        .block(T)
                        .getMetadata()
                        .getResourceVersion()));
  }

  @Test
  void servicesWithoutSelectorAreLeftAlone() {
    services.create(service("manual", null)).block(T);
    Endpoints mine =
        new io.fabric8.kubernetes.api.model.EndpointsBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("manual")
            .endMetadata()
            .addNewSubset()
            .addNewAddress()
            .withIp("192.0.2.50")
            .endAddress()
            .addNewPort()
            .withName("web")
            .withPort(9999)
            .endPort()
            .endSubset()
            .build();
    endpoints.create(mine).block(T);
    services.create(service("bare", null)).block(T);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .untilAsserted(
            () -> {
              assertThat(summary("bare")).isEqualTo("none");
              Endpoints ep = endpoints.get("default", "manual").block(T);
              assertThat(ep.getSubsets().get(0).getAddresses().get(0).getIp())
                  .isEqualTo("192.0.2.50");
            });
  }
}
