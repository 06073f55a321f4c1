package io.nauta.core.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import org.junit.jupiter.api.Test;

class InformerFactoryTest {

  @Test
  void oneTypeNamespaceAndSelectorGetOneSharedInformer() {
    try (InformerFactory factory = new InformerFactory(KubeClient.of("http://127.0.0.1:1"))) {
      SharedInformer<Pod> pods = factory.informer(BuiltInResources.PODS, Pod.class);

      assertThat(factory.informer(BuiltInResources.PODS, Pod.class)).isSameAs(pods);
      assertThat(factory.informer(BuiltInResources.PODS, Pod.class, null, ListOptions.none()))
          .isSameAs(pods);
      assertThat(factory.informer(BuiltInResources.PODS, Pod.class, "ns", ListOptions.none()))
          .isNotSameAs(pods);
      assertThat(
              factory.informer(
                  BuiltInResources.PODS, Pod.class, null, ListOptions.labels("app=web")))
          .isNotSameAs(pods);
      assertThat(factory.informer(BuiltInResources.NODES, Node.class)).isNotSameAs(pods);
      // one kind read as another class: an informer of its own, not one that cannot be cast
      SharedInformer<GenericKubernetesResource> generic =
          factory.informer(BuiltInResources.PODS, GenericKubernetesResource.class);
      assertThat((Object) generic).isNotSameAs(pods);
      assertThat(factory.informers()).hasSize(5);
      assertThat(factory.hasSynced()).isFalse();
    }
  }
}
