package io.nauta.core.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.core.informer.InformerEvent.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class InformerStoreTest {

  static Pod pod(String ns, String name, String rv, String node, String ownerUid) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .withResourceVersion(rv)
            .endMetadata();
    if (ownerUid != null) {
      b.editMetadata()
          .addNewOwnerReference()
          .withUid(ownerUid)
          .withName("rs")
          .withKind("ReplicaSet")
          .endOwnerReference()
          .endMetadata();
    }
    return b.withNewSpec().withNodeName(node).endSpec().build();
  }

  @Test
  void replaceAddsNewUpdatesChangedAndDropsWhatDisappeared() {
    InformerStore<Pod> store = new InformerStore<>();
    store.replace(
        List.of(
            pod("a", "keep", "1", null, null),
            pod("a", "change", "1", null, null),
            pod("a", "gone", "1", null, null)));

    List<InformerEvent<Pod>> events =
        store.replace(
            List.of(
                pod("a", "keep", "1", null, null),
                pod("a", "change", "2", null, null),
                pod("b", "new", "3", null, null)));

    assertThat(events)
        .extracting(e -> e.type() + " " + InformerStore.keyOf(e.object()))
        .containsExactlyInAnyOrder("UPDATED a/change", "ADDED b/new", "DELETED a/gone");
    assertThat(store.keys()).containsExactlyInAnyOrder("a/keep", "a/change", "b/new");
    InformerEvent<Pod> update =
        events.stream().filter(e -> e.type() == Type.UPDATED).findFirst().orElseThrow();
    assertThat(update.previous().getMetadata().getResourceVersion()).isEqualTo("1");
  }

  @Test
  void indexesFollowUpdatesAndDeletes() {
    InformerStore<Pod> store = new InformerStore<>();
    store.upsert(pod("a", "p1", "1", null, "rs-1"));
    store.upsert(pod("b", "p2", "2", "node-1", "rs-1"));

    assertThat(store.byIndex(InformerStore.BY_NODE_NAME, "node-1"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("p2");
    assertThat(store.byIndex(InformerStore.BY_OWNER_UID, "rs-1")).hasSize(2);
    assertThat(store.byIndex(InformerStore.BY_NAMESPACE, "a")).hasSize(1);

    store.upsert(pod("a", "p1", "3", "node-1", "rs-1"));
    store.upsert(pod("b", "p2", "4", "node-2", "rs-1"));
    assertThat(store.byIndex(InformerStore.BY_NODE_NAME, "node-1"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("p1");

    store.remove(pod("a", "p1", "5", "node-1", "rs-1"));
    assertThat(store.byIndex(InformerStore.BY_NODE_NAME, "node-1")).isEmpty();
    assertThat(store.byIndex(InformerStore.BY_OWNER_UID, "rs-1"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("p2");
  }

  @Test
  void theSameVersionTwiceIsOneEvent() {
    InformerStore<Pod> store = new InformerStore<>();

    assertThat(store.upsert(pod("a", "p", "1", null, null))).isPresent();
    assertThat(store.upsert(pod("a", "p", "1", null, null))).isEmpty();
    assertThat(store.remove(pod("a", "other", "1", null, null))).isEmpty();
  }

  @Test
  void anIndexAddedLaterCoversObjectsAlreadyStored() {
    InformerStore<Pod> store = new InformerStore<>();
    store.upsert(pod("a", "p", "1", null, null));

    store.addIndex("name", p -> List.of(p.getMetadata().getName()));

    assertThat(store.byIndex("name", "p")).hasSize(1);
  }
}
