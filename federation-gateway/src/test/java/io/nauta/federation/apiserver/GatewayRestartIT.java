package io.nauta.federation.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.PropagationPolicy;
import io.nauta.federation.api.PropagationSpec;
import io.nauta.federation.api.ResourceSelector;
import io.nauta.federation.support.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A gateway started again on the same Redis: its definitions are found as they are and left
 * untouched (no write), the objects stored under them are still served, and its controllers lead
 * again.
 */
class GatewayRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void startsAgainWithoutRewritingItsDefinitionsAndKeepsWhatWasStored() {
    TestGateway.flushDatabase(4);
    String redis = "nauta.redis.url=" + TestGateway.redisUrl(4);
    Map<String, String> before;
    try (TestGateway first = TestGateway.start(redis)) {
      KubeClient admin = first.kubeClient();
      admin
          .resource(KarmadaResources.PROPAGATION_POLICIES, PropagationPolicy.class)
          .create(
              new PropagationPolicy(
                  new ObjectMetaBuilder().withNamespace("default").withName("kept").build(),
                  new PropagationSpec(
                      List.of(new ResourceSelector("v1", "ConfigMap", null, null, null)),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null)))
          .block(WAIT);
      before = definitionVersions(admin);
      assertThat(before).hasSize(KarmadaResources.ALL.size());
    }
    try (TestGateway second = TestGateway.start(redis)) {
      KubeClient admin = second.kubeClient();
      assertThat(definitionVersions(admin)).isEqualTo(before);
      PropagationPolicy kept =
          admin
              .resource(KarmadaResources.PROPAGATION_POLICIES, PropagationPolicy.class)
              .get("default", "kept")
              .block(WAIT);
      assertThat(kept.spec().resourceSelectors().get(0).kind()).isEqualTo("ConfigMap");
      // Karmada's defaults were applied when it was written.
      assertThat(kept.spec().conflictResolution()).isEqualTo("Abort");
      await().atMost(WAIT).until(() -> second.runner().isLeading());
    }
  }

  private static Map<String, String> definitionVersions(KubeClient admin) {
    return admin
        .resource(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, CustomResourceDefinition.class)
        .list(null, ListOptions.none())
        .block(WAIT)
        .items()
        .stream()
        .filter(
            d ->
                d.getMetadata().getName().contains("karmada")
                    || d.getMetadata().getName().contains("x-k8s"))
        .collect(
            Collectors.toMap(
                d -> d.getMetadata().getName(), d -> d.getMetadata().getResourceVersion()));
  }
}
