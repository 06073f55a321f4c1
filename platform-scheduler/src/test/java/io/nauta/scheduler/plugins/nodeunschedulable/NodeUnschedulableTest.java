package io.nauta.scheduler.plugins.nodeunschedulable;

import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.NodeFixture;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeUnschedulableTest {

  private static final Status CORDONED =
      Status.unschedulableAndUnresolvable("node(s) were unschedulable");

  private final NodeUnschedulable plugin = new NodeUnschedulable();

  static Stream<Arguments> cases() {
    String key = "node.kubernetes.io/unschedulable";
    return Stream.of(
        Arguments.of("a schedulable node takes the pod", node("n"), pod("p"), Status.success()),
        Arguments.of(
            "a cordoned node rejects the pod", node("n").unschedulable(), pod("p"), CORDONED),
        Arguments.of(
            "a pod tolerating the unschedulable taint may go on a cordoned node",
            node("n").unschedulable(),
            pod("p").toleration(key, "Exists", null, "NoSchedule"),
            Status.success()),
        Arguments.of(
            "a pod tolerating everything may go on a cordoned node",
            node("n").unschedulable(),
            pod("p").toleration(null, "Exists", null, null),
            Status.success()),
        Arguments.of(
            "a NoExecute toleration of the key is not enough",
            node("n").unschedulable(),
            pod("p").toleration(key, "Exists", null, "NoExecute"),
            CORDONED),
        Arguments.of(
            "a cordoned node's own taints are not this plugin's concern",
            node("n").taint("dedicated", "gpu", "NoSchedule"),
            pod("p"),
            Status.success()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectsCordonedNodesUnlessTolerated(
      String description, NodeFixture node, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), node.info())).isEqualTo(expected);
  }

  @Test
  void aNodeKnownOnlyFromItsPodsHasUnknownConditions() {
    assertThat(plugin.filter(null, pod("p").info(), new NodeInfo("ghost")))
        .isEqualTo(Status.unschedulableAndUnresolvable("node(s) had unknown conditions"));
  }
}
