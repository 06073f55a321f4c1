package io.nauta.scheduler.plugins.noderesources;

import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BalancedAllocationTest {

  private final BalancedAllocation plugin = new BalancedAllocation();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "equal fractions score 100",
            node("n").cpuMemory("4", "8Gi").info(),
            pod("p").container("cpu", "1", "memory", "2Gi"),
            100L),
        // fractions 0.5 and 0.125: std = 0.1875
        Arguments.of(
            "unequal fractions lose half their distance",
            node("n").cpuMemory("4", "8Gi").info(),
            pod("p").container("cpu", "2", "memory", "1Gi"),
            81L),
        Arguments.of(
            "a fraction above 1 is capped",
            node("n").cpuMemory("4", "8Gi").info(),
            pod("p").container("cpu", "8"),
            50L),
        Arguments.of(
            "pods already on the node count",
            node("n").cpuMemory("4", "8Gi").info(pod("old").container("cpu", "2").info()),
            pod("p").container("memory", "4Gi"),
            100L),
        // With the non-zero defaults the fractions would be 0.1 and ~0.002 (score 95).
        Arguments.of(
            "containers without requests count as requesting nothing",
            node("n").cpuMemory("1", "100Gi").info(),
            pod("p").container(),
            100L),
        Arguments.of(
            "a node reporting only cpu has nothing to balance",
            node("n").allocatable("cpu", "4").info(),
            pod("p").container("cpu", "3"),
            100L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prefersNodesWhereCpuAndMemoryAreUsedEvenly(
      String description, NodeInfo node, PodFixture pod, long expected) {
    assertThat(scores(plugin, pod.info(), List.of(node))).containsExactly(expected);
  }
}
