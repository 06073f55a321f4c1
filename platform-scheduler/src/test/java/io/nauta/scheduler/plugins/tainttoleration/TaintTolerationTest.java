package io.nauta.scheduler.plugins.tainttoleration;

import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.NodeFixture;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {

  private final TaintToleration plugin = new TaintToleration();

  private static Status untolerated(String taint) {
    return Status.unschedulableAndUnresolvable("node(s) had untolerated taint " + taint);
  }

  static Stream<Arguments> filterCases() {
    NodeFixture gpu = node("n").taint("dedicated", "gpu", "NoSchedule");
    return Stream.of(
        Arguments.of("a node without taints takes any pod", node("n"), pod("p"), Status.success()),
        Arguments.of(
            "an untolerated NoSchedule taint rejects the pod",
            gpu,
            pod("p"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "an untolerated NoExecute taint rejects the pod",
            node("n").taint("dedicated", "gpu", "NoExecute"),
            pod("p"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "a PreferNoSchedule taint does not filter",
            node("n").taint("dedicated", "gpu", "PreferNoSchedule"),
            pod("p"),
            Status.success()),
        Arguments.of(
            "a taint without a value prints an empty value",
            node("n").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule"),
            pod("p"),
            untolerated("{node-role.kubernetes.io/control-plane: }")),
        Arguments.of(
            "Equal with the same value tolerates",
            gpu,
            pod("p").toleration("dedicated", "Equal", "gpu", "NoSchedule"),
            Status.success()),
        Arguments.of(
            "Equal with another value does not tolerate",
            gpu,
            pod("p").toleration("dedicated", "Equal", "cpu", "NoSchedule"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "an empty operator means Equal",
            gpu,
            pod("p").toleration("dedicated", null, "gpu", "NoSchedule"),
            Status.success()),
        Arguments.of(
            "Exists ignores the value",
            gpu,
            pod("p").toleration("dedicated", "Exists", null, "NoSchedule"),
            Status.success()),
        Arguments.of(
            "Exists on another key does not tolerate",
            gpu,
            pod("p").toleration("other", "Exists", null, "NoSchedule"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "an empty key with Exists tolerates every taint",
            node("n").taint("a", "1", "NoSchedule").taint("b", "2", "NoExecute"),
            pod("p").toleration(null, "Exists", null, null),
            Status.success()),
        Arguments.of(
            "an empty effect matches every effect",
            node("n").taint("dedicated", "gpu", "NoExecute"),
            pod("p").toleration("dedicated", "Equal", "gpu", null),
            Status.success()),
        Arguments.of(
            "a toleration of another effect does not tolerate",
            node("n").taint("dedicated", "gpu", "NoExecute"),
            pod("p").toleration("dedicated", "Equal", "gpu", "NoSchedule"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "an unknown operator tolerates nothing",
            gpu,
            pod("p").toleration("dedicated", "Gt", "gpu", "NoSchedule"),
            untolerated("{dedicated: gpu}")),
        Arguments.of(
            "the first untolerated taint is the reason",
            node("n")
                .taint("a", "1", "NoSchedule")
                .taint("b", "2", "NoSchedule")
                .taint("c", "3", "NoExecute"),
            pod("p").toleration("a", "Exists", null, null),
            untolerated("{b: 2}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filtersOnNoScheduleAndNoExecuteTaints(
      String description, NodeFixture node, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), node.info())).isEqualTo(expected);
  }

  static Stream<Arguments> scoreCases() {
    List<NodeFixture> nodes =
        List.of(
            node("clean"),
            node("one").taint("a", "1", "PreferNoSchedule"),
            node("two").taint("a", "1", "PreferNoSchedule").taint("b", "2", "PreferNoSchedule"));
    return Stream.of(
        Arguments.of(
            "fewer untolerated PreferNoSchedule taints score higher",
            nodes,
            pod("p"),
            new long[] {100, 50, 0}),
        Arguments.of(
            "a tolerated PreferNoSchedule taint does not count",
            nodes,
            pod("p").toleration("a", "Exists", null, "PreferNoSchedule"),
            new long[] {100, 100, 0}),
        Arguments.of(
            "a toleration without effect counts for PreferNoSchedule",
            nodes,
            pod("p").toleration("b", "Equal", "2", null),
            new long[] {100, 0, 0}),
        Arguments.of(
            "a NoSchedule toleration does not count for PreferNoSchedule",
            nodes,
            pod("p").toleration("a", "Exists", null, "NoSchedule"),
            new long[] {100, 50, 0}),
        Arguments.of(
            "NoSchedule taints do not lower the score",
            List.of(node("a"), node("b").taint("x", "y", "NoSchedule")),
            pod("p"),
            new long[] {100, 100}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void scoresByUntoleratedPreferNoScheduleTaints(
      String description, List<NodeFixture> nodes, PodFixture pod, long[] expected) {
    PodInfo p = pod.info();
    List<NodeInfo> infos = nodes.stream().map(n -> n.info()).toList();
    assertThat(scores(plugin, p, infos)).containsExactly(expected);
  }
}
