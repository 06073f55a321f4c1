package io.nauta.controllers.deployment;

import static io.nauta.controllers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingRolloutTest {

  private static Deployment deployment(int replicas, int surge, int unavailable) {
    Deployment d = FakeApi.deployment(replicas, "nginx");
    d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new IntOrString(surge));
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(unavailable));
    return d;
  }

  @ParameterizedTest(name = "{0} replicas, surge {1}: new {2}, old spec {3} running {4} -> new {5}")
  @CsvSource({
    // replicas, maxSurge, new spec, old spec, old running, expected new size
    "10, 3, 0, 10, 10, 3", // room for the surge
    "10, 3, 3, 10, 10, 3", // at replicas + maxSurge: wait
    "10, 3, 3, 8, 8, 5", // old shrank: grow by what is free
    "10, 3, 9, 1, 1, 10", // never beyond replicas
    "10, 0, 0, 10, 10, 0", // no surge: old must shrink first
    "10, 3, 3, 8, 10, 3", // old still runs 10 pods: the surge is used up
    "3, 1, 0, 3, 3, 1"
  })
  void growsTheNewReplicaSetWithinTheSurge(
      int replicas, int surge, int newSpec, int oldSpec, int oldRunning, int expected) {
    Deployment d = deployment(replicas, surge, 1);
    ReplicaSet newRS = rs("new", newSpec, newSpec, newSpec, 2);
    ReplicaSet old = rs("old", oldSpec, oldRunning, oldRunning, 1);
    assertThat(RollingRollout.newReplicas(d, List.of(old, newRS), newRS)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case | replicas | surge | unavailable | new spec/available | old (spec/available, oldest
        // first) | expected old sizes
        "new ready: old shrinks by what availability allows | 10 | 3 | 2 | 3/3 | 10/10 | 5",
        "new not ready: only maxUnavailable of old may go | 10 | 3 | 2 | 3/0 | 10/10 | 8",
        "at the minimum already: nothing shrinks | 10 | 3 | 2 | 5/0 | 8/8 | 8",
        "unavailable old pods go first, at no cost | 10 | 3 | 2 | 3/0 | 10/7 | 8",
        "oldest shrinks first | 4 | 1 | 0 | 1/1 | 2/2,2/2 | 1,2",
        "zero surge, one unavailable | 3 | 0 | 1 | 0/0 | 3/3 | 2"
      })
  void shrinksOldReplicaSetsOnlyAsFarAsAvailabilityAllows(
      String name,
      int replicas,
      int surge,
      int unavailable,
      String newRs,
      String olds,
      String expected) {
    Deployment d = deployment(replicas, surge, unavailable);
    String[] n = newRs.split("/");
    ReplicaSet newRS =
        rs("new", Integer.parseInt(n[0]), Integer.parseInt(n[0]), Integer.parseInt(n[1]), 10);
    String[] oldParts = olds.split(",");
    List<ReplicaSet> old = new java.util.ArrayList<>();
    for (int i = 0; i < oldParts.length; i++) {
      String[] o = oldParts[i].split("/");
      old.add(
          rs("old" + i, Integer.parseInt(o[0]), Integer.parseInt(o[0]), Integer.parseInt(o[1]), i));
    }
    List<ReplicaSet> all = new java.util.ArrayList<>(old);
    all.add(newRS);
    Map<ReplicaSet, Integer> plan = RollingRollout.oldScaleDown(d, all, old, newRS);
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (ReplicaSet o : old) {
      sizes.put(o.getMetadata().getName(), plan.getOrDefault(o, ReplicaSets.replicas(o)));
    }
    assertThat(String.join(",", sizes.values().stream().map(String::valueOf).toList()))
        .as(name)
        .isEqualTo(expected);
  }

  @Test
  void aRolloutStaysWithinSurgeAndAvailabilityAtEveryStep() {
    FakeApi api = new FakeApi(FakeApi.deployment(10, "nginx"));
    api.converge(20);
    assertThat(api.size("nginx")).isEqualTo(10);
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    for (int step = 0; step < 30; step++) {
      api.sync();
      List<ReplicaSet> rss = List.copyOf(api.replicaSets.values());
      assertThat(ReplicaSets.specTotal(rss)).as("pods asked for").isLessThanOrEqualTo(13);
      assertThat(ReplicaSets.availableTotal(rss))
          .as("available (old ones counted as they were)")
          .isGreaterThanOrEqualTo(8);
      api.runReplicaSets();
    }
    assertThat(api.size("nginx:2")).isEqualTo(10);
    assertThat(api.size("nginx")).isZero();
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
    assertThat(api.deployment.getStatus().getUpdatedReplicas()).isEqualTo(10);
    assertThat(api.deployment.getStatus().getAvailableReplicas()).isEqualTo(10);
  }

  @Test
  void theFirstStepCreatesTheNewReplicaSetAtTheSurge() {
    FakeApi api = new FakeApi(FakeApi.deployment(10, "nginx"));
    api.converge(20);
    api.writes.clear();
    api.events.clear();
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    api.sync();
    String name = api.rs("nginx:2").getMetadata().getName();
    assertThat(api.writes).startsWith("create " + name + " 3");
    assertThat(api.events)
        .contains("Normal ScalingReplicaSet Scaled up replica set " + name + " to 3");
  }

  @Test
  void aNewTemplateThatNeverBecomesAvailableStopsAtTheMinimum() {
    FakeApi api = new FakeApi(FakeApi.deployment(10, "nginx"));
    api.converge(20);
    api.neverAvailable =
        rs ->
            "nginx:2"
                .equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    api.converge(30);
    assertThat(api.size("nginx")).isEqualTo(8);
    assertThat(api.size("nginx:2")).isEqualTo(5);
    String old = api.rs("nginx").getMetadata().getName();
    assertThat(api.events)
        .contains("Normal ScalingReplicaSet Scaled down replica set " + old + " to 8 from 10");
  }
}
