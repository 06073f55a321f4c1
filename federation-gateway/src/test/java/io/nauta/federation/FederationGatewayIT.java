package io.nauta.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.support.TestGateway;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway boots as an API server of its own (HTTPS, RBAC, its own Redis database) and runs the
 * federation controllers registered as {@link FederationController} beans, on a loopback client as
 * the controller manager, while it holds its Lease.
 */
class FederationGatewayIT {

  private static final AtomicBoolean started = new AtomicBoolean();
  private static final AtomicReference<SharedInformer<Namespace>> namespaces =
      new AtomicReference<>();
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway =
        TestGateway.start(
            ctx ->
                ctx.registerBean(
                    "probeController",
                    FederationController.class,
                    () -> {
                      // Built as a controller is: informers asked for before the runner starts.
                      namespaces.set(
                          ctx.getBean(InformerFactory.class)
                              .informer(BuiltInResources.NAMESPACES, Namespace.class));
                      return runner ->
                          runner.whileLeading(
                              LeaderWork.of(
                                  "probe", () -> started.set(true), () -> started.set(false)));
                    }));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void servesTheKubernetesApiOverHttpsOnItsOwnPort() {
    assertThat(gateway.url()).startsWith("https://");
    gateway
        .client()
        .get()
        .uri("/api/v1/namespaces/default")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.metadata.name")
        .isEqualTo("default");
  }

  @Test
  void runsRegisteredControllersWhileHoldingItsLease() {
    await().atMost(Duration.ofSeconds(60)).until(started::get);
    assertThat(gateway.runner().isLeading()).isTrue();
    // The informer listed the gateway through the loopback client, as the controller manager.
    assertThat(namespaces.get().hasSynced()).isTrue();
    assertThat(namespaces.get().store().list())
        .extracting(n -> n.getMetadata().getName())
        .contains("default", "kube-system");
    Lease lease =
        gateway
            .kubeClient()
            .resource(BuiltInResources.LEASES, Lease.class)
            .get("kube-system", "karmada-controller-manager")
            .block(Duration.ofSeconds(10));
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    assertThat(gateway.leaseLosses()).isEmpty();
  }
}
