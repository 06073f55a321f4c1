package io.nauta.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecreateRolloutTest {

  private static FakeApi recreating(int replicas) {
    var d = FakeApi.deployment(replicas, "nginx");
    d.getSpec().getStrategy().setType("Recreate");
    d.getSpec().getStrategy().setRollingUpdate(null);
    return new FakeApi(d);
  }

  @Test
  void scalesOldToZeroAndCreatesTheNewOnlyOnceOldPodsAreGone() {
    FakeApi api = recreating(3);
    api.converge(10);
    String old = api.rs("nginx").getMetadata().getName();
    api.writes.clear();
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));

    api.sync();
    assertThat(api.writes).containsExactly("scale " + old + " 3->0");
    assertThat(api.rs("nginx:2")).as("no new replica set while old pods run").isNull();

    api.sync(); // the old replica set still reports 3 pods
    assertThat(api.rs("nginx:2")).isNull();

    api.runReplicaSets(); // its pods are gone
    api.sync();
    String created = api.rs("nginx:2").getMetadata().getName();
    assertThat(api.writes)
        .as("the revision annotation follows the creation")
        .containsExactly("scale " + old + " 3->0", "create " + created + " 3", "update deployment");
    api.converge(10);
    assertThat(api.size("nginx:2")).isEqualTo(3);
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
  }

  @Test
  void podsOfOldReplicaSetsThatHaveNotFinishedCountAsRunning() {
    var running = new PodBuilder().withNewStatus().withPhase("Running").endStatus().build();
    var done = new PodBuilder().withNewStatus().withPhase("Succeeded").endStatus().build();
    var oldRs = Fixtures.rs("old", 0, 0, 0, 1);
    var newRs = Fixtures.rs("new", 0, 0, 0, 2);
    Map<String, List<Pod>> pods = Map.of("old-uid", List.of(done), "new-uid", List.of(running));
    assertThat(RecreateRollout.oldPodsRunning(newRs, List.of(oldRs), pods)).isFalse();
    assertThat(
            RecreateRollout.oldPodsRunning(
                newRs, List.of(oldRs), Map.of("old-uid", List.of(done, running))))
        .isTrue();
    assertThat(
            RecreateRollout.oldPodsRunning(
                newRs, List.of(Fixtures.rs("old", 0, 1, 1, 1)), Map.of()))
        .as("the replica set still reports a pod")
        .isTrue();
  }
}
