package io.nauta.scheduler.plugins.nodeready;

import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.NodeFixture;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeReadyTest {

  private static final Status NOT_READY =
      Status.unschedulableAndUnresolvable("node(s) were not ready");
  private static final String NOT_READY_KEY = "node.kubernetes.io/not-ready";
  private static final String UNREACHABLE_KEY = "node.kubernetes.io/unreachable";

  private final NodeReady plugin = new NodeReady();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a node without a Ready condition counts as ready",
            node("n"),
            pod("p"),
            Status.success()),
        Arguments.of(
            "a Ready node takes the pod", node("n").ready("True"), pod("p"), Status.success()),
        Arguments.of(
            "a node with Ready=False is not ready", node("n").ready("False"), pod("p"), NOT_READY),
        Arguments.of(
            "a node with Ready=Unknown is not ready",
            node("n").ready("Unknown"),
            pod("p"),
            NOT_READY),
        Arguments.of(
            "a NoSchedule toleration of not-ready admits the pod to a Ready=False node",
            node("n").ready("False"),
            pod("p").toleration(NOT_READY_KEY, "Exists", null, "NoSchedule"),
            Status.success()),
        Arguments.of(
            "a toleration of not-ready without effect admits the pod",
            node("n").ready("False"),
            pod("p").toleration(NOT_READY_KEY, "Exists", null, null),
            Status.success()),
        Arguments.of(
            "the default NoExecute toleration every pod gets does not admit it",
            node("n").ready("False"),
            pod("p").toleration(NOT_READY_KEY, "Exists", null, "NoExecute"),
            NOT_READY),
        Arguments.of(
            "a toleration of not-ready does not cover an unreachable node",
            node("n").ready("Unknown"),
            pod("p").toleration(NOT_READY_KEY, "Exists", null, "NoSchedule"),
            NOT_READY),
        Arguments.of(
            "a toleration of unreachable admits the pod to a Ready=Unknown node",
            node("n").ready("Unknown"),
            pod("p").toleration(UNREACHABLE_KEY, "Exists", null, "NoSchedule"),
            Status.success()),
        Arguments.of(
            "a pod tolerating everything goes anywhere",
            node("n").ready("Unknown"),
            pod("p").toleration(null, "Exists", null, null),
            Status.success()),
        Arguments.of(
            "a node being deleted takes no pods",
            node("n").ready("True").deleting(),
            pod("p").toleration(null, "Exists", null, null),
            Status.unschedulableAndUnresolvable("node(s) were being deleted")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsPodsOffNodesThatAreNotReady(
      String description, NodeFixture node, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), node.info())).isEqualTo(expected);
  }
}
