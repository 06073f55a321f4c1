package io.nauta.controllers.replicaset;

import static io.nauta.controllers.replicaset.Fixtures.ownedPod;
import static io.nauta.controllers.replicaset.Fixtures.pod;
import static io.nauta.controllers.replicaset.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.controller.Expectations;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodEventHandlerTest {

  private final InformerStore<ReplicaSet> replicaSets = new InformerStore<>();
  private final InformerStore<Pod> pods = new InformerStore<>();
  private final PodExpectations expectations = new PodExpectations(new Expectations());
  private final PodEventHandler handler = new PodEventHandler(replicaSets, expectations);
  private final ReplicaSet web = rs("web", 1);

  PodEventHandlerTest() {
    replicaSets.upsert(web);
  }

  private InformerEvent<Pod> upsert(Pod pod) {
    return pods.upsert(pod).orElseThrow();
  }

  @Test
  void anAddedPodQueuesItsOwnerAndCountsAsAnExpectedCreation() {
    expectations.expectCreations("ns/web", 1);

    assertThat(handler.keys(upsert(ownedPod("a", web)))).containsExactly("ns/web");

    assertThat(expectations.satisfied("ns/web")).isTrue();
  }

  @Test
  void aDeletedPodQueuesItsOwnerAndCountsAsTheExpectedDeletion() {
    Pod a = ownedPod("a", web);
    upsert(a);
    expectations.expectDeletions("ns/web", List.of("ns/a"));

    assertThat(handler.keys(pods.remove(a).orElseThrow())).containsExactly("ns/web");

    assertThat(expectations.satisfied("ns/web")).isTrue();
  }

  @Test
  void aPodGettingADeletionTimestampAlreadyCountsAsDeleted() {
    Pod a = ownedPod("a", web);
    upsert(a);
    expectations.expectDeletions("ns/web", List.of("ns/a"));

    handler.keys(
        upsert(
            new PodBuilder(a)
                .editMetadata()
                .withResourceVersion("2")
                .withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()
                .build()));

    assertThat(expectations.satisfied("ns/web")).isTrue();
  }

  @Test
  void anOrphanQueuesEveryReplicaSetWhoseSelectorMatchesIt() {
    replicaSets.upsert(rs("web-2", 1));
    ReplicaSet other =
        new ReplicaSetBuilder(rs("other", 1))
            .editSpec()
            .editSelector()
            .withMatchLabels(Map.of("app", "db"))
            .endSelector()
            .endSpec()
            .build();
    replicaSets.upsert(other);

    assertThat(handler.keys(upsert(pod("orphan").build())))
        .containsExactlyInAnyOrder("ns/web", "ns/web-2");
  }

  @Test
  void aPodWhoseOwnerChangedQueuesTheOldAndTheNewOwner() {
    ReplicaSet api = rs("api", 1);
    replicaSets.upsert(api);
    upsert(ownedPod("a", web));

    var keys =
        handler.keys(
            upsert(
                new PodBuilder(ownedPod("a", api))
                    .editMetadata()
                    .withResourceVersion("2")
                    .endMetadata()
                    .build()));

    assertThat(keys).containsExactlyInAnyOrder("ns/web", "ns/api");
  }

  @Test
  void aReleasedPodQueuesItsOldOwnerAndItsPossibleAdopters() {
    upsert(ownedPod("a", web));

    var keys =
        handler.keys(
            upsert(
                pod("a")
                    .editMetadata()
                    .withResourceVersion("2")
                    .withLabels(Map.of("app", "debug"))
                    .endMetadata()
                    .build()));

    assertThat(keys).containsExactly("ns/web");
  }

  @Test
  void aPodOwnedByAnUnknownReplicaSetQueuesNothing() {
    ReplicaSet ghost = rs("ghost", 1);

    assertThat(handler.keys(upsert(ownedPod("a", ghost)))).isEmpty();
  }
}
