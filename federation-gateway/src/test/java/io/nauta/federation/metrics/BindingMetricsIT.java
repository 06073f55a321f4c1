package io.nauta.federation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.federation.api.ClusterResourceBinding;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.support.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nauta_federation_bindings{condition,status}} on a real gateway's {@code
 * /actuator/prometheus}, from bindings written through its API.
 */
class BindingMetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ResourceBindingStatus status(String scheduled, String fullyApplied) {
    return new ResourceBindingStatus(
        null,
        null,
        null,
        List.of(
            new ConditionBuilder()
                .withType(Karmada.CONDITION_SCHEDULED)
                .withStatus(scheduled)
                .withReason("Test")
                .withMessage("test")
                .withLastTransitionTime("2026-12-05T12:00:00Z")
                .build(),
            new ConditionBuilder()
                .withType(Karmada.CONDITION_FULLY_APPLIED)
                .withStatus(fullyApplied)
                .withReason("Test")
                .withMessage("test")
                .withLastTransitionTime("2026-12-05T12:00:00Z")
                .build()),
        null);
  }

  private static ResourceBindingSpec spec(String kind, String namespace, String name) {
    return JsonMapper.builder()
        .build()
        .readValue(
            "{\"resource\":{\"apiVersion\":\"v1\",\"kind\":\""
                + kind
                + "\""
                + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"")
                + ",\"name\":\""
                + name
                + "\"}}",
            ResourceBindingSpec.class);
  }

  @Test
  void countsBindingsByConditionStatusOnThePrometheusEndpoint() {
    TestGateway.flushDatabase(9);
    // Bindings written by hand, for templates that do not exist: the detector would delete them
    // as orphans, the scheduler and propagation rewrite their conditions.
    try (TestGateway gateway =
        TestGateway.start(
            "nauta.redis.url=" + TestGateway.redisUrl(9),
            "nauta.federation.controllers=*,-detector,-scheduling,-propagation,-status")) {
      KubeClient admin = gateway.kubeClient();
      ResourceClient<ResourceBinding> rbs =
          admin.resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
      ResourceClient<ClusterResourceBinding> crbs =
          admin.resource(KarmadaResources.CLUSTER_RESOURCE_BINDINGS, ClusterResourceBinding.class);
      ResourceBinding applied =
          rbs.create(
                  new ResourceBinding(
                      new ObjectMetaBuilder().withNamespace("default").withName("applied").build(),
                      spec("ConfigMap", "default", "applied"),
                      null))
              .block(WAIT);
      rbs.updateStatus(applied.withStatus(status("True", "True"))).block(WAIT);
      ResourceBinding failing =
          rbs.create(
                  new ResourceBinding(
                      new ObjectMetaBuilder().withNamespace("default").withName("failing").build(),
                      spec("ConfigMap", "default", "failing"),
                      null))
              .block(WAIT);
      rbs.updateStatus(failing.withStatus(status("True", "False"))).block(WAIT);
      rbs.create(
              new ResourceBinding(
                  new ObjectMetaBuilder().withNamespace("default").withName("new").build(),
                  spec("ConfigMap", "default", "new"),
                  null))
          .block(WAIT);
      ClusterResourceBinding role =
          crbs.create(
                  new ClusterResourceBinding(
                      new ObjectMetaBuilder().withName("role").build(),
                      spec("Namespace", null, "role"),
                      null))
              .block(WAIT);
      crbs.updateStatus(role.withStatus(status("True", "True"))).block(WAIT);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                String text =
                    gateway
                        .client()
                        .get()
                        .uri("/actuator/prometheus?includedNames=nauta_federation_bindings")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(String.class)
                        .returnResult()
                        .getResponseBody();
                assertThat(text)
                    .contains(
                        "nauta_federation_bindings{condition=\"Scheduled\",status=\"True\"} 3.0",
                        "nauta_federation_bindings{condition=\"Scheduled\",status=\"Unknown\"} 1.0",
                        "nauta_federation_bindings{condition=\"Scheduled\",status=\"False\"} 0.0",
                        "nauta_federation_bindings{condition=\"FullyApplied\",status=\"True\"} 2.0",
                        "nauta_federation_bindings{condition=\"FullyApplied\",status=\"False\"} 1.0",
                        "nauta_federation_bindings{condition=\"FullyApplied\",status=\"Unknown\"} 1.0");
              });
    }
  }
}
