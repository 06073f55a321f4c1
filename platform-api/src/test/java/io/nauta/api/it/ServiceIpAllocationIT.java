package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.allocation.AllocationRange;
import io.nauta.api.allocation.ServiceAllocator;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Service cluster IPs and node ports: allocated in range, requested values honoured or refused,
 * freed on delete, unique between two API servers on one Redis and across restarts, repaired.
 */
class ServiceIpAllocationIT {

  static final Duration T = Duration.ofSeconds(20);
  // A small range, so that two servers picking at random would collide without atomic claims.
  static final String[] PROPS = {
    "nauta.services.cluster-ip-range=10.96.0.0/24",
    "nauta.services.node-port-range=30000-30300",
    "nauta.services.repair-interval=2s"
  };
  static final AllocationRange RANGE = AllocationRange.cidr("10.96.0.0/24");

  static TestApiServer a;
  static TestApiServer b;
  static ResourceClient<Service> viaA;
  static ResourceClient<Service> viaB;

  @BeforeAll
  static void start() {
    a = TestApiServer.startOnEmptyRedis(PROPS);
    b = TestApiServer.start(PROPS);
    viaA = a.kubeClient().resource(BuiltInResources.SERVICES, Service.class);
    viaB = services(b);
  }

  static ResourceClient<Service> services(TestApiServer s) {
    // Follows the server if it restarts (the URL is asked for on every request).
    return s.kubeClient().resource(BuiltInResources.SERVICES, Service.class);
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  static Service service(String name, String type, String clusterIp, Integer... nodePorts) {
    List<ServicePort> ports = new ArrayList<>();
    for (int i = 0; i < Math.max(1, nodePorts.length); i++) {
      Integer np = nodePorts.length == 0 ? null : nodePorts[i];
      ports.add(
          new io.fabric8.kubernetes.api.model.ServicePortBuilder()
              .withName("p" + i)
              .withPort(80 + i)
              .withNodePort(np == null || np == 0 ? null : np)
              .build());
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withClusterIP(clusterIp)
        .withSelector(Map.of("app", name))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** A member of the pool nobody holds now (tests run one at a time). */
  static String free(ServiceAllocator.Pool pool, int fromOffset) {
    ServiceAllocator allocator = a.bean(ServiceAllocator.class);
    Map<String, String> held = allocator.allocations(pool).block(T);
    AllocationRange range = allocator.range(pool);
    for (long o = fromOffset; o < range.size(); o++) {
      if (!held.containsKey(range.memberAt(o))) {
        return range.memberAt(o);
      }
    }
    throw new IllegalStateException("pool full");
  }

  static String freeIp() {
    return free(ServiceAllocator.Pool.CLUSTER_IP, 100);
  }

  static int freePort() {
    return Integer.parseInt(free(ServiceAllocator.Pool.NODE_PORT, 100));
  }

  static Set<String> allAllocatedIps(ResourceClient<Service> client) {
    Set<String> ips = new HashSet<>();
    for (Service s : client.list("default", null).block(T).items()) {
      String ip = s.getSpec().getClusterIP();
      if (ip != null && !ip.equals("None")) {
        assertThat(ips.add(ip)).as("duplicate " + ip).isTrue();
      }
    }
    return ips;
  }

  @Test
  void fiftyServicesGetFiftyDistinctIpsInRangeWithKubernetesSingleStackFields() {
    List<Service> created =
        Flux.range(0, 50)
            .flatMap(i -> viaA.create(service("many-" + i, null, null)), 8)
            .collectList()
            .block(T);
    Set<String> ips = new HashSet<>();
    for (Service s : created) {
      String ip = s.getSpec().getClusterIP();
      assertThat(RANGE.contains(ip)).as(ip).isTrue();
      assertThat(s.getSpec().getClusterIPs()).containsExactly(ip);
      assertThat(s.getSpec().getIpFamilies()).containsExactly("IPv4");
      assertThat(s.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
      ips.add(ip);
    }
    assertThat(ips).hasSize(50);
  }

  @Test
  void aRequestedIpIsHonouredADuplicateOrOutOfRangeOneRefused() {
    String ip = freeIp();
    Service s = viaA.create(service("wants-ip", null, ip)).block(T);
    assertThat(s.getSpec().getClusterIP()).isEqualTo(ip);
    assertThatThrownBy(() -> viaB.create(service("same-ip", null, ip)).block(T))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("provided IP is already allocated");
    assertThatThrownBy(() -> viaA.create(service("far-ip", null, "10.0.0.1")).block(T))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("provided IP is not in the valid range");
    Service headless = viaA.create(service("headless", null, "None")).block(T);
    assertThat(headless.getSpec().getClusterIPs()).containsExactly("None");
  }

  @Test
  void nodePortServicesGetAPortPerServicePortAndRequestedPortsAreValidated() {
    Service s = viaA.create(service("np", "NodePort", null, 0, 0)).block(T);
    List<Integer> ports = s.getSpec().getPorts().stream().map(ServicePort::getNodePort).toList();
    assertThat(ports).hasSize(2).doesNotHaveDuplicates().allMatch(p -> p >= 30000 && p <= 30300);
    int port = freePort();
    Service fixed = viaA.create(service("np-fixed", "LoadBalancer", null, port)).block(T);
    assertThat(fixed.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
    assertThat(fixed.getSpec().getClusterIP()).isNotEmpty();
    assertThatThrownBy(() -> viaB.create(service("np-dup", "NodePort", null, port)).block(T))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("provided port is already allocated");
    assertThatThrownBy(() -> viaB.create(service("np-far", "NodePort", null, 31000)).block(T))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("provided port is not in the valid range");
    // The refused services left nothing claimed behind: their names and IPs are free.
    assertThat(viaA.create(service("np-dup", "ClusterIP", null)).block(T)).isNotNull();
  }

  @Test
  void anUpdateWithoutClusterIpOrNodePortsKeepsThemAndTheClusterIpIsImmutable() {
    Service s = viaA.create(service("upd", "NodePort", null, 0)).block(T);
    String ip = s.getSpec().getClusterIP();
    int np = s.getSpec().getPorts().get(0).getNodePort();
    Service sent = service("upd", "NodePort", null, 0); // as kubectl apply sends it
    sent.getMetadata().setResourceVersion(s.getMetadata().getResourceVersion());
    sent.getMetadata().setLabels(Map.of("changed", "yes"));
    Service updated = viaA.update(sent).block(T);
    assertThat(updated.getSpec().getClusterIP()).isEqualTo(ip);
    assertThat(updated.getSpec().getPorts().get(0).getNodePort()).isEqualTo(np);
    Service moved =
        new ServiceBuilder(updated)
            .editSpec()
            .withClusterIP("10.96.0.201")
            .withClusterIPs()
            .endSpec()
            .build();
    assertThatThrownBy(() -> viaA.update(moved).block(T))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("field is immutable");
  }

  @Test
  void deletingAServiceFreesItsIpAndNodePort() {
    String ip = freeIp();
    int port = freePort();
    viaA.create(service("freed", "NodePort", ip, port)).block(T);
    viaB.delete("default", "freed").block(T);
    Service again = viaB.create(service("freed-again", "NodePort", ip, port)).block(T);
    assertThat(again.getSpec().getClusterIP()).isEqualTo(ip);
    assertThat(again.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
  }

  @Test
  void twoApiServersAllocatingConcurrentlyNeverDuplicateAndRestartsKeepAllocations() {
    List<Service> created =
        Flux.range(0, 60)
            .flatMap(
                i -> (i % 2 == 0 ? viaA : viaB).create(service("pair-" + i, "NodePort", null)), 16)
            .collectList()
            .block(T);
    assertThat(created.stream().map(s -> s.getSpec().getClusterIP()).distinct()).hasSize(60);
    assertThat(created.stream().map(s -> s.getSpec().getPorts().get(0).getNodePort()).distinct())
        .hasSize(60);
    allAllocatedIps(viaA);

    // A restarted API server keeps allocating unique values.
    b.close();
    b = TestApiServer.start(PROPS);
    viaB = services(b);
    ResourceClient<Service> restarted = viaB;
    Flux.range(0, 20)
        .flatMap(i -> restarted.create(service("after-" + i, null, null)), 8)
        .blockLast(T);
    allAllocatedIps(restarted);
  }

  @Test
  void theRepairLoopFreesLeakedAllocationsAndMarksLostOnes() {
    ServiceAllocator allocator = a.bean(ServiceAllocator.class);
    // A claim whose service never got written (its API server died in between).
    String ghostIp = freeIp();
    allocator.claim(ServiceAllocator.Pool.CLUSTER_IP, "default/ghost", ghostIp).block(T);
    // An allocation the pool lost although its service uses it.
    String keptIp = freeIp();
    Service kept = viaA.create(service("kept", null, keptIp)).block(T);
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<String, String> redis = a.bean(StatefulRedisConnection.class);
    redis.sync().hdel("nauta:{core/services}:clusterips", keptIp);
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              Map<String, String> now =
                  allocator.allocations(ServiceAllocator.Pool.CLUSTER_IP).block(T);
              assertThat(now).doesNotContainKey(ghostIp);
              assertThat(now.get(keptIp)).startsWith("default/kept ");
            });
    assertThat(kept.getSpec().getClusterIP()).isEqualTo(keptIp);
  }
}
