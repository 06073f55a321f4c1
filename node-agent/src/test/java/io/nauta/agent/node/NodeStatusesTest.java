package io.nauta.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStatusesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T10:00:10Z");
  private static final Map<String, Quantity> CAPACITY =
      Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
  private static final Map<String, String> INFO = Map.of("kubeletVersion", "v1.33.0-nauta");

  private static NodeStatus desired(NodeStatus current, Instant now) {
    return NodeStatuses.desired(current, CAPACITY, "192.0.2.1", "node-0", INFO, 10250, now);
  }

  @Test
  void postsTheKubeletsConditionsWithItsReasons() {
    NodeStatus status = desired(null, T0);

    assertThat(status.getConditions())
        .extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "MemoryPressure", "False", "KubeletHasSufficientMemory"),
            org.assertj.core.groups.Tuple.tuple(
                "DiskPressure", "False", "KubeletHasNoDiskPressure"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
            org.assertj.core.groups.Tuple.tuple("Ready", "True", "KubeletReady"));
    assertThat(status.getAllocatable()).isEqualTo(CAPACITY);
    assertThat(status.getAddresses())
        .anyMatch(a -> a.getType().equals("InternalIP") && a.getAddress().equals("192.0.2.1"));
    // Where the API server reaches this node's agent for logs: its InternalIP and this port.
    assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
  }

  @Test
  void onlyANewHeartbeatIsNoChangeAndKeepsTransitionTimes() {
    NodeStatus posted = desired(null, T0);
    NodeStatus again = desired(posted, T1);

    assertThat(NodeStatuses.changed(posted, again)).isFalse();
    assertThat(again.getConditions())
        .allMatch(c -> c.getLastTransitionTime().equals("2026-01-01T10:00:00Z"))
        .allMatch(c -> c.getLastHeartbeatTime().equals("2026-01-01T10:00:10Z"));
  }

  @Test
  void aReadyConditionSetUnknownByTheLifecycleControllerIsAChange() {
    NodeStatus posted = desired(null, T0);
    NodeStatus unknown =
        new NodeStatusBuilder(posted)
            .withConditions(
                posted.getConditions().stream()
                    .map(
                        c ->
                            c.getType().equals("Ready")
                                ? new NodeConditionBuilder(c)
                                    .withStatus("Unknown")
                                    .withReason("NodeStatusUnknown")
                                    .withLastTransitionTime("2026-01-01T10:00:05Z")
                                    .build()
                                : c)
                    .toList())
            .build();

    NodeStatus fixed = desired(unknown, T1);

    assertThat(NodeStatuses.changed(unknown, fixed)).isTrue();
    NodeCondition ready =
        fixed.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().get();
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:10Z");
  }

  @Test
  void aNodeWhoseRuntimeIsDownIsNotReadyWithTheKubeletsReason() {
    NodeStatus ready = desired(null, T0);
    NodeStatus down =
        NodeStatuses.desired(
            ready, CAPACITY, "192.0.2.1", "node-0", INFO, 10250, "container runtime is down", T1);

    NodeCondition condition =
        down.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().get();
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("KubeletNotReady");
    assertThat(condition.getMessage()).isEqualTo("container runtime is down");
    assertThat(condition.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:10Z");
    assertThat(NodeStatuses.changed(ready, down)).isTrue();
  }
}
