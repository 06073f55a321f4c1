package io.nauta.controllers.deployment;

import static io.nauta.controllers.deployment.Fixtures.rs;
import static io.nauta.controllers.deployment.Fixtures.withMaxReplicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProportionalScalingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case | new replicas | surge | max-replicas before | old | new | expected old | expected
        // new
        "scale up 10 -> 20 mid-rollout | 20 | 25% | 13 | 8 | 5 | 15 | 10",
        "scale down 10 -> 5 mid-rollout | 5 | 25% | 13 | 8 | 5 | 4 | 3",
        "scale to zero | 0 | 25% | 13 | 8 | 5 | 0 | 0",
        "equal sizes grow the newer first | 11 | 0 | 10 | 5 | 5 | 5 | 6",
        "equal sizes shrink the older first | 9 | 0 | 10 | 5 | 5 | 4 | 5",
        "nothing to add: sizes stay | 10 | 3 | 13 | 8 | 5 | 8 | 5"
      })
  void spreadsAReplicaCountChangeOverActiveReplicaSets(
      String name,
      int replicas,
      String surge,
      int maxBefore,
      int old,
      int newSize,
      int wantOld,
      int wantNew) {
    Deployment d = FakeApi.deployment(replicas, "nginx");
    d.getSpec()
        .getStrategy()
        .getRollingUpdate()
        .setMaxSurge(
            surge.endsWith("%")
                ? new IntOrString(surge)
                : new IntOrString(Integer.parseInt(surge)));
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(1));
    var oldRS = withMaxReplicas(rs("old", old, old, old, 1), maxBefore);
    var newRS = withMaxReplicas(rs("new", newSize, newSize, 0, 2), maxBefore);
    var plan = ProportionalScaling.plan(d, List.of(oldRS, newRS));
    int gotOld =
        plan.sizes().stream().filter(s -> s.rs() == oldRS).findFirst().orElseThrow().size();
    int gotNew =
        plan.sizes().stream().filter(s -> s.rs() == newRS).findFirst().orElseThrow().size();
    assertThat(List.of(gotOld, gotNew)).as(name).containsExactly(wantOld, wantNew);
  }

  @Test
  void scalingAStuckRolloutScalesOldAndNewProportionally() {
    FakeApi api = new FakeApi(FakeApi.deployment(10, "nginx"));
    api.converge(20);
    api.neverAvailable =
        rs ->
            "nginx:2"
                .equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    api.converge(30);
    assertThat(List.of(api.size("nginx"), api.size("nginx:2"))).containsExactly(8, 5);

    api.edit(d -> d.getSpec().setReplicas(20));
    api.sync();
    assertThat(List.of(api.size("nginx"), api.size("nginx:2"))).containsExactly(15, 10);
    String old = api.rs("nginx").getMetadata().getName();
    assertThat(api.events)
        .contains("Normal ScalingReplicaSet Scaled up replica set " + old + " to 15 from 8");
    assertThat(Revisions.annotation(api.rs("nginx"), Revisions.DESIRED_REPLICAS)).isEqualTo("20");
    assertThat(Revisions.annotation(api.rs("nginx"), Revisions.MAX_REPLICAS)).isEqualTo("25");
  }
}
