package io.nauta.scheduler.plugins.nodeports;

import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodePortsTest {

  private static final Status TAKEN =
      Status.unschedulable("node(s) didn't have free ports for the requested pod ports");

  private final NodePorts plugin = new NodePorts();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a pod without host ports fits anywhere",
            pod("old").hostPort(80, "TCP", null),
            pod("p"),
            Status.success()),
        Arguments.of(
            "a free port fits",
            pod("old").hostPort(80, "TCP", null),
            pod("p").hostPort(8080, "TCP", null),
            Status.success()),
        Arguments.of(
            "the same port and protocol conflict",
            pod("old").hostPort(80, "TCP", null),
            pod("p").hostPort(80, "TCP", null),
            TAKEN),
        Arguments.of(
            "an absent protocol means TCP",
            pod("old").hostPort(80, null, null),
            pod("p").hostPort(80, "TCP", null),
            TAKEN),
        Arguments.of(
            "another protocol does not conflict",
            pod("old").hostPort(53, "TCP", null),
            pod("p").hostPort(53, "UDP", null),
            Status.success()),
        Arguments.of(
            "different IPs do not conflict",
            pod("old").hostPort(80, "TCP", "10.0.0.1"),
            pod("p").hostPort(80, "TCP", "10.0.0.2"),
            Status.success()),
        Arguments.of(
            "the wildcard IP conflicts with a specific one",
            pod("old").hostPort(80, "TCP", "10.0.0.1"),
            pod("p").hostPort(80, "TCP", "0.0.0.0"),
            TAKEN),
        Arguments.of(
            "a specific IP conflicts with the wildcard",
            pod("old").hostPort(80, "TCP", null),
            pod("p").hostPort(80, "TCP", "10.0.0.1"),
            TAKEN),
        Arguments.of(
            "any one conflicting port of several is enough",
            pod("old").hostPort(443, "TCP", null),
            pod("p").hostPort(80, "TCP", null).hostPort(443, "TCP", null),
            TAKEN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectsNodesWhereAHostPortIsTaken(
      String description, PodFixture existing, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), node("n").info(existing.info()))).isEqualTo(expected);
  }
}
