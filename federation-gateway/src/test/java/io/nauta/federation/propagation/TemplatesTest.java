package io.nauta.federation.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class TemplatesTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static GenericKubernetesResource deployment(String rv, int replicas, int ready) {
    return YAML.readValue(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, resourceVersion: "%s", labels: {app: web}}
        spec: {replicas: %d}
        status: {readyReplicas: %d}
        """
            .formatted(rv, replicas, ready),
        GenericKubernetesResource.class);
  }

  @Test
  void onlyAChangeBeyondStatusIsOneToPropagate() {
    GenericKubernetesResource first = deployment("1", 3, 0);
    assertThat(Templates.specificationChanged(first, deployment("2", 3, 3))).isFalse();
    assertThat(Templates.specificationChanged(first, deployment("3", 4, 0))).isTrue();
    GenericKubernetesResource relabelled = deployment("4", 3, 0);
    relabelled.getMetadata().getLabels().put("tier", "front");
    assertThat(Templates.specificationChanged(first, relabelled)).isTrue();
    assertThat(Templates.specificationChanged(null, first)).isTrue();
  }
}
