package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The {@code kubernetes} Service of {@code default} and its Endpoints, kept by the API servers
 * themselves as kube-apiserver's kubernetes-service controller and lease endpoint reconciler keep
 * them: made at start, repaired when changed or deleted, one address per running API server.
 */
class KubernetesServiceIT {

  static final Duration T = Duration.ofSeconds(20);
  static final String[] PROPS = {
    "nauta.services.cluster-ip-range=10.98.7.0/24",
    "nauta.kubernetes-service.interval=300ms",
    "nauta.kubernetes-service.lease-ttl=2s"
  };

  static TestApiServer a;
  static ResourceClient<Service> services;
  static ResourceClient<Endpoints> endpoints;

  @BeforeAll
  static void start() {
    a =
        TestApiServer.startOnEmptyRedis(
            with("nauta.kubernetes-service.advertise-address=10.1.2.3"));
    KubeClient client = a.kubeClient();
    services = client.resource(BuiltInResources.SERVICES, Service.class);
    endpoints = client.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
  }

  static String[] with(String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(PROPS));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  static Optional<Service> service() {
    return services
        .get("default", "kubernetes")
        .map(Optional::of)
        .onErrorResume(NotFoundException.class, e -> Mono.just(Optional.empty()))
        .block(T);
  }

  static Optional<Endpoints> endpoints() {
    return endpoints
        .get("default", "kubernetes")
        .map(Optional::of)
        .onErrorResume(NotFoundException.class, e -> Mono.just(Optional.empty()))
        .block(T);
  }

  static void assertKubernetesService(Service s) {
    assertThat(s.getMetadata().getLabels())
        .containsEntry("component", "apiserver")
        .containsEntry("provider", "kubernetes");
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getClusterIP()).isEqualTo("10.98.7.1");
    assertThat(s.getSpec().getSelector()).isNullOrEmpty();
    assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(s.getSpec().getPorts()).hasSize(1);
    ServicePort p = s.getSpec().getPorts().get(0);
    assertThat(p.getName()).isEqualTo("https");
    assertThat(p.getPort()).isEqualTo(443);
    assertThat(p.getProtocol()).isEqualTo("TCP");
    assertThat(p.getTargetPort()).isEqualTo(new IntOrString(a.port()));
  }

  static List<String> addresses(Endpoints e) {
    return e.getSubsets().stream()
        .flatMap(s -> s.getAddresses().stream())
        .map(EndpointAddress::getIp)
        .sorted()
        .toList();
  }

  @Test
  void isMadeAtStartWithTheFirstClusterIpAndEndpointsOnTheSecurePort() {
    await().atMost(T).until(() -> service().isPresent() && endpoints().isPresent());
    assertKubernetesService(service().orElseThrow());
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              Endpoints e = endpoints().orElseThrow();
              assertThat(e.getMetadata().getLabels())
                  .containsEntry("endpointslice.kubernetes.io/skip-mirror", "true");
              assertThat(e.getSubsets()).hasSize(1);
              assertThat(addresses(e)).contains("10.1.2.3");
              EndpointPort p = e.getSubsets().get(0).getPorts().get(0);
              assertThat(p.getName()).isEqualTo("https");
              assertThat(p.getPort()).isEqualTo(a.port());
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
  }

  @Test
  void isMadeAgainWhenDeletedAndRepairedWhenChanged() {
    await().atMost(T).until(() -> service().isPresent() && endpoints().isPresent());
    String uid = service().orElseThrow().getMetadata().getUid();
    services.delete("default", "kubernetes").block(T);
    await()
        .atMost(T)
        .until(() -> service().map(s -> !s.getMetadata().getUid().equals(uid)).orElse(false));
    assertKubernetesService(service().orElseThrow());

    Service changed =
        new ServiceBuilder(service().orElseThrow())
            .editSpec()
            .withPorts(
                new io.fabric8.kubernetes.api.model.ServicePortBuilder()
                    .withName("web")
                    .withPort(8443)
                    .withTargetPort(new IntOrString(9999))
                    .build())
            .endSpec()
            .build();
    services.update(changed).block(T);
    await().atMost(T).untilAsserted(() -> assertKubernetesService(service().orElseThrow()));

    Endpoints wrong =
        new EndpointsBuilder(endpoints().orElseThrow())
            .withSubsets(
                new EndpointSubset(
                    List.of(new EndpointAddress(null, "10.9.9.9", null, null)),
                    null,
                    List.of(new EndpointPort(null, "https", 1, "TCP"))))
            .build();
    endpoints.update(wrong).block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              Endpoints e = endpoints().orElseThrow();
              assertThat(addresses(e)).doesNotContain("10.9.9.9").contains("10.1.2.3");
              assertThat(e.getSubsets().get(0).getPorts().get(0).getPort()).isEqualTo(a.port());
            });
    endpoints.delete("default", "kubernetes").block(T);
    await()
        .atMost(T)
        .until(() -> endpoints().map(e -> addresses(e).contains("10.1.2.3")).orElse(false));
  }

  @Test
  void everyRunningApiServerAddsItsAddressAndOneThatStopsIsRemoved() {
    try (TestApiServer b =
        TestApiServer.start(with("nauta.kubernetes-service.advertise-address=10.1.2.4"))) {
      await()
          .atMost(T)
          .until(
              () ->
                  endpoints()
                      .map(e -> addresses(e).equals(List.of("10.1.2.3", "10.1.2.4")))
                      .orElse(false));
    }
    await()
        .atMost(T)
        .until(() -> endpoints().map(e -> addresses(e).equals(List.of("10.1.2.3"))).orElse(false));
  }
}
