package io.nauta.scheduler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Profile;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulingAlgorithmTest {

  private static final PodInfo POD =
      PodInfo.of(
          new PodBuilder()
              .withNewMetadata()
              .withNamespace("ns")
              .withName("p")
              .withUid("u")
              .endMetadata()
              .withNewSpec()
              .endSpec()
              .build());

  @Test
  void picksTheNodeWithTheHighestWeightedScore() {
    Profile profile =
        new Profile(
            "default-scheduler",
            List.of(filter("all", n -> Status.success())),
            List.of(
                new Profile.WeightedScore(score("name-length", n -> (long) n.name().length()), 1),
                new Profile.WeightedScore(
                    score("is-b", n -> n.name().equals("b") ? 100L : 0L), 2)));
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(profile, 0, new Random(1));

    ScheduleResult result = algorithm.schedule(POD, snapshot("a", "b", "ccc"));

    assertThat(result)
        .usingRecursiveComparison()
        .ignoringFields("state")
        .isEqualTo(new ScheduleResult.Scheduled("b", 3, 3, null));
  }

  @Test
  void theFirstRejectingFilterGivesTheNodesReasonAndTheMessageCountsThem() {
    Profile profile =
        new Profile(
            "default-scheduler",
            List.of(
                filter(
                    "taints",
                    n ->
                        n.name().startsWith("t")
                            ? Status.unschedulableAndUnresolvable(
                                "node(s) had untolerated taint {a: b}")
                            : Status.success()),
                filter(
                    "fit", n -> Status.unschedulable("Insufficient cpu", "Insufficient memory"))),
            List.of());
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(profile, 0, new Random(1));

    ScheduleResult result = algorithm.schedule(POD, snapshot("t1", "x1", "x2"));

    assertThat(result)
        .isEqualTo(
            new ScheduleResult.Unschedulable(
                "0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, "
                    + "2 Insufficient cpu, 2 Insufficient memory.",
                true));
  }

  @Test
  void withNoNodesSaysSoAsKubernetesDoes() {
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(new Profile("s", List.of(), List.of()), 0, new Random(1));

    assertThat(algorithm.schedule(POD, snapshot()))
        .isEqualTo(new ScheduleResult.Unschedulable("no nodes available to schedule pods", true));
  }

  @Test
  void aPreFilterRejectionRejectsEveryNodeOnce() {
    FilterPlugin pre =
        new FilterPlugin() {
          @Override
          public String name() {
            return "pre";
          }

          @Override
          public Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
            return Status.unschedulableAndUnresolvable("pod has unbound immediate claims");
          }

          @Override
          public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            throw new AssertionError("filter after a failed pre-filter");
          }
        };
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(new Profile("s", List.of(pre), List.of()), 0, new Random(1));

    assertThat(algorithm.schedule(POD, snapshot("a", "b")))
        .isEqualTo(
            new ScheduleResult.Unschedulable(
                "0/2 nodes are available: pod has unbound immediate claims.", false));
  }

  @Test
  void aFilterErrorFailsTheAttempt() {
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(
            new Profile("s", List.of(filter("boom", n -> Status.error("broken"))), List.of()),
            0,
            new Random(1));

    assertThat(algorithm.schedule(POD, snapshot("a"))).isInstanceOf(ScheduleResult.Failed.class);
  }

  @Test
  void tiesAreBrokenAtRandomAcrossTheTopNodes() {
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(
            new Profile(
                "s", List.of(), List.of(new Profile.WeightedScore(score("flat", n -> 50L), 1))),
            0,
            new Random(7));
    ClusterSnapshot snapshot = snapshot("a", "b", "c");
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      chosen.add(((ScheduleResult.Scheduled) algorithm.schedule(POD, snapshot)).nodeName());
    }
    assertThat(chosen).containsExactlyInAnyOrder("a", "b", "c");
  }

  @ParameterizedTest(name = "{0} nodes at {1}% -> {2}")
  @CsvSource({
    "50, 0, 50",
    "99, 0, 99",
    "100, 0, 100",
    "1000, 0, 420",
    "5000, 0, 500",
    "10000, 0, 500",
    "1000, 100, 1000",
    "1000, 30, 300",
    "200, 10, 100"
  })
  void findsAsManyFeasibleNodesAsKubernetes(int nodes, int percentage, int expected) {
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(new Profile("s", List.of(), List.of()), percentage, new Random(1));
    assertThat(algorithm.numFeasibleNodesToFind(nodes)).isEqualTo(expected);
  }

  @Test
  void onBigClustersTheSearchStopsEarlyAndTheNextCycleStartsWhereItStopped() {
    List<String> seen = new ArrayList<>();
    SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(
            new Profile(
                "s",
                List.of(
                    filter(
                        "record",
                        n -> {
                          seen.add(n.name());
                          return Status.success();
                        })),
                List.of()),
            10,
            new Random(1));
    ClusterSnapshot snapshot =
        snapshot(
            IntStream.range(0, 300)
                .mapToObj(i -> String.format("n%03d", i))
                .toArray(String[]::new));

    ScheduleResult first = algorithm.schedule(POD, snapshot);
    ScheduleResult second = algorithm.schedule(POD, snapshot);

    assertThat(((ScheduleResult.Scheduled) first).evaluated()).isEqualTo(100);
    assertThat(seen.get(100)).isEqualTo("n100");
    assertThat(((ScheduleResult.Scheduled) second).feasible()).isEqualTo(100);
  }

  private static ClusterSnapshot snapshot(String... names) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (String name : names) {
      nodes.add(
          NodeInfo.of(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(Map.of())
                  .endMetadata()
                  .build()));
    }
    return ClusterSnapshot.of(nodes);
  }

  private static FilterPlugin filter(String name, Function<NodeInfo, Status> decide) {
    return new FilterPlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return decide.apply(node);
      }
    };
  }

  private static ScorePlugin score(String name, Function<NodeInfo, Long> score) {
    return new ScorePlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long score(CycleState state, PodInfo pod, NodeInfo node) {
        return score.apply(node);
      }

      @Override
      public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(scores, false);
      }
    };
  }
}
