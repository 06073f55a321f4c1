package io.nauta.scheduler.plugins.spreading;

import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.rawScores;
import static io.nauta.scheduler.plugins.Fixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorSpreadTest {

  private final SelectorSpread plugin = new SelectorSpread();

  private static PodInfo replica(String name) {
    return pod(name).owner("rs-1").info();
  }

  static Stream<Arguments> cases() {
    List<NodeInfo> noZones =
        List.of(
            node("two").info(replica("r0"), replica("r1")),
            node("one").info(replica("r2")),
            node("none").info(pod("x").info()));
    return Stream.of(
        Arguments.of(
            "a pod without a controller scores 100 everywhere",
            noZones,
            pod("p"),
            new long[] {100, 100, 100}),
        Arguments.of(
            "nodes with fewer siblings score higher",
            noZones,
            pod("p").owner("rs-1"),
            new long[] {0, 50, 100}),
        Arguments.of(
            "pods of another owner do not count",
            noZones,
            pod("p").owner("rs-2"),
            new long[] {100, 100, 100}),
        Arguments.of(
            "pods of the same owner uid in another namespace do not count",
            List.of(
                node("a").info(pod("r0").namespace("other").owner("rs-1").info()),
                node("b").info()),
            pod("p").owner("rs-1"),
            new long[] {100, 100}),
        Arguments.of(
            "pods being deleted do not count",
            List.of(node("a").info(pod("r0").owner("rs-1").deleting().info()), node("b").info()),
            pod("p").owner("rs-1"),
            new long[] {100, 100}),
        // node scores 0/100/100, zone scores a=0 b=100: final = node/3 + zone*2/3
        Arguments.of(
            "zones weigh two thirds",
            List.of(
                node("a1").zone("a").info(replica("r0")),
                node("a2").zone("a").info(),
                node("b1").zone("b").info()),
            pod("p").owner("rs-1"),
            new long[] {0, 33, 100}),
        // node scores 0/50/100; zone a has 3 of 3: a = 0, b = 100
        Arguments.of(
            "zone totals add up the nodes of a zone",
            List.of(
                node("a1").zone("a").info(replica("r0"), replica("r1")),
                node("a2").zone("a").info(replica("r2")),
                node("b1").zone("b").info()),
            pod("p").owner("rs-1"),
            new long[] {0, 16, 100}),
        Arguments.of(
            "a node without a zone label scores by node only",
            List.of(
                node("a1").zone("a").info(replica("r0")),
                node("b1").zone("b").info(),
                node("bare").info()),
            pod("p").owner("rs-1"),
            new long[] {0, 100, 100}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void spreadsReplicasOfOneOwnerOverNodesAndZones(
      String description, List<NodeInfo> nodes, PodFixture pod, long[] expected) {
    assertThat(scores(plugin, pod.info(), nodes)).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rawScoresAreSiblingCounts(
      String description, List<NodeInfo> nodes, PodFixture pod, long[] ignored) {
    PodInfo p = pod.info();
    long[] raw = rawScores(plugin, p, nodes);
    for (int i = 0; i < raw.length; i++) {
      long siblings =
          p.controllerUid() == null
              ? 0
              : nodes.get(i).pods().stream()
                  .filter(o -> p.controllerUid().equals(o.controllerUid()))
                  .filter(o -> o.namespace().equals(p.namespace()))
                  .filter(o -> o.pod().getMetadata().getDeletionTimestamp() == null)
                  .count();
      assertThat(raw[i]).as(nodes.get(i).name()).isEqualTo(siblings);
    }
  }
}
