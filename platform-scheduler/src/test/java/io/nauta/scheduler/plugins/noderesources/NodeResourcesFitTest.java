package io.nauta.scheduler.plugins.noderesources;

import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.rawScores;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesFitTest {

  private final NodeResourcesFit plugin = new NodeResourcesFit();

  private static NodeInfo twoCpus(PodInfo... pods) {
    return node("n")
        .cpuMemory("2", "4Gi")
        .allocatable("ephemeral-storage", "10Gi")
        .allocatable("nvidia.com/gpu", "1")
        .info(pods);
  }

  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of(
            "a pod that fits passes",
            twoCpus(),
            pod("p").container("cpu", "1", "memory", "1Gi"),
            Status.success()),
        Arguments.of(
            "a pod that takes exactly what is left passes",
            twoCpus(),
            pod("p").container("cpu", "2", "memory", "4Gi"),
            Status.success()),
        Arguments.of(
            "too much cpu",
            twoCpus(),
            pod("p").container("cpu", "2500m"),
            Status.unschedulable("Insufficient cpu")),
        Arguments.of(
            "too much memory",
            twoCpus(),
            pod("p").container("memory", "5Gi"),
            Status.unschedulable("Insufficient memory")),
        Arguments.of(
            "every insufficient resource is a reason of its own",
            twoCpus(),
            pod("p")
                .container(
                    "cpu",
                    "3",
                    "memory",
                    "5Gi",
                    "nvidia.com/gpu",
                    "2",
                    "ephemeral-storage",
                    "20Gi"),
            Status.unschedulable(
                "Insufficient cpu",
                "Insufficient memory",
                "Insufficient ephemeral-storage",
                "Insufficient nvidia.com/gpu")),
        Arguments.of(
            "pods already on the node use up capacity",
            twoCpus(pod("old").container("cpu", "1500m").info()),
            pod("p").container("cpu", "1"),
            Status.unschedulable("Insufficient cpu")),
        Arguments.of(
            "a GPU the node has fits",
            twoCpus(),
            pod("p").container("nvidia.com/gpu", "1"),
            Status.success()),
        Arguments.of(
            "more GPUs than the node has",
            twoCpus(),
            pod("p").container("nvidia.com/gpu", "2"),
            Status.unschedulable("Insufficient nvidia.com/gpu")),
        Arguments.of(
            "a resource the node does not list counts as zero",
            node("n").cpuMemory("2", "4Gi").info(),
            pod("p").container("example.com/foo", "1"),
            Status.unschedulable("Insufficient example.com/foo")),
        Arguments.of(
            "an init container larger than all containers together decides",
            twoCpus(),
            pod("p").container("cpu", "500m").container("cpu", "500m").initContainer("cpu", "3"),
            Status.unschedulable("Insufficient cpu")),
        Arguments.of(
            "an init container smaller than the containers together does not add",
            twoCpus(),
            pod("p").container("cpu", "1").container("cpu", "1").initContainer("cpu", "1500m"),
            Status.success()),
        Arguments.of(
            "the pod overhead counts",
            twoCpus(),
            pod("p").container("cpu", "2").overhead("cpu", "100m"),
            Status.unschedulable("Insufficient cpu")),
        Arguments.of(
            "a pod requesting nothing fits on a full node",
            twoCpus(pod("old").container("cpu", "2", "memory", "4Gi").info()),
            pod("p").container(),
            Status.success()),
        Arguments.of(
            "a full pod count rejects even a pod requesting nothing",
            node("n").cpuMemory("2", "4Gi").allocatable("pods", "1").info(pod("old").info()),
            pod("p").container(),
            Status.unschedulable("Too many pods")),
        Arguments.of(
            "too many pods comes before the resources",
            node("n").cpuMemory("2", "4Gi").allocatable("pods", "1").info(pod("old").info()),
            pod("p").container("cpu", "3"),
            Status.unschedulable("Too many pods", "Insufficient cpu")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void rejectsNodesWithoutRoomForThePod(
      String description, NodeInfo node, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), node)).isEqualTo(expected);
  }

  static Stream<Arguments> scoreCases() {
    return Stream.of(
        Arguments.of(
            "a quarter of an empty node used leaves 75",
            node("n").cpuMemory("4", "8Gi").info(),
            pod("p").container("cpu", "1", "memory", "2Gi"),
            75L),
        Arguments.of(
            "cpu and memory are averaged",
            node("n").cpuMemory("4", "8Gi").info(),
            pod("p").container("cpu", "2", "memory", "2Gi"),
            62L),
        Arguments.of(
            "a container without requests counts as 100m and 200Mi",
            node("n").cpuMemory("1", "1000Mi").info(),
            pod("p").container(),
            85L),
        Arguments.of(
            "pods on the node count with their non-zero requests",
            node("n").cpuMemory("1", "1000Mi").info(pod("old").container().info()),
            pod("p").container(),
            70L),
        Arguments.of(
            "an overcommitted resource scores 0",
            node("n").cpuMemory("1", "8Gi").info(),
            pod("p").container("cpu", "2", "memory", "4Gi"),
            25L),
        Arguments.of(
            "a node without capacity scores 0",
            node("n").info(),
            pod("p").container("cpu", "1"),
            0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void prefersNodesWithMoreLeftAfterPlacement(
      String description, NodeInfo node, PodFixture pod, long expected) {
    assertThat(rawScores(plugin, pod.info(), List.of(node))).containsExactly(expected);
  }
}
