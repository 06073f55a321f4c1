package io.nauta.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentNodesTest {

  private static AgentProperties props(String runtime, int nodes, String nodeName) {
    return new AgentProperties(
        "http://127.0.0.1:6443",
        "",
        "",
        runtime,
        nodes,
        nodeName,
        "sim",
        0,
        "10.244.0.0/16",
        "127.0.0.1",
        "4",
        "8Gi",
        "110",
        "100Gi",
        Map.of(),
        Map.of(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(40),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        16,
        "/var/lib/nauta/agent",
        Duration.ofSeconds(10),
        new AgentProperties.Simulated(Duration.ZERO),
        new AgentProperties.Docker(
            "unix:///nonexistent/docker.sock",
            "",
            "nauta/busybox:local",
            Duration.ofSeconds(1),
            List.of(),
            64,
            16,
            4),
        new AgentProperties.Authentication(
            "", "", "", Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(30)),
        new AgentProperties.Bootstrap("", Duration.ofMinutes(15), Duration.ofSeconds(1)),
        new AgentProperties.Dns(List.of("10.96.0.10"), "cluster.local"),
        new AgentProperties.LocalVolumes(true, 4),
        new AgentProperties.Stats(Duration.ofSeconds(10), 4),
        List.of());
  }

  @Test
  void manyNodesArePrefixedWithTheirIndexAndGetTheirOwnRangeAndAddress() {
    AgentNodes nodes =
        AgentNodes.create(props("simulated", 3, ""), Clock.systemUTC(), node -> PodEvents.NONE);

    assertThat(nodes.all()).extracting(AgentNode::name).containsExactly("sim-0", "sim-1", "sim-2");
    assertThat(nodes.all())
        .extracting(n -> n.podCidr().cidr())
        .containsExactly("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24");
    assertThat(nodes.all()).extracting(AgentNode::ip).doesNotHaveDuplicates();
  }

  @Test
  void oneNodeTakesTheConfiguredNameAndAddress() {
    AgentNodes nodes =
        AgentNodes.create(
            props("simulated", 1, "worker"), Clock.systemUTC(), node -> PodEvents.NONE);

    assertThat(nodes.all())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.name()).isEqualTo("worker");
              assertThat(n.ip()).isEqualTo("127.0.0.1");
            });
  }

  @Test
  void theDockerRuntimeWithoutAnEngineFailsAtStartUpWithAClearMessage() {
    assertThatThrownBy(
            () ->
                AgentNodes.create(
                    props("docker", 1, ""), Clock.systemUTC(), node -> PodEvents.NONE))
        .isInstanceOf(UnsupportedRuntimeException.class)
        .hasMessageContaining("no Docker engine answers at unix:///nonexistent/docker.sock");
  }

  @Test
  void anUnknownRuntimeIsRefused() {
    assertThatThrownBy(
            () ->
                AgentNodes.create(
                    props("podman", 1, ""), Clock.systemUTC(), node -> PodEvents.NONE))
        .isInstanceOf(UnsupportedRuntimeException.class)
        .hasMessageContaining("must be simulated or docker, not 'podman'");
  }
}
