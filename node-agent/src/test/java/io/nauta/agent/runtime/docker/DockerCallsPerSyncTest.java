package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How often a pod's sync asks Docker about the pod, on a {@link FakeEngine}: one listing by the
 * pod's label feeds the sync's decisions, and a container is inspected only when it is new or its
 * state changed (it used to be a listing and an inspect per container for each of three looks).
 */
class DockerCallsPerSyncTest {

  private static final String NODE = "node-v";
  private static final Duration T = Duration.ofSeconds(20);

  private final FakeEngine engine = new FakeEngine(NODE);
  private final DockerRuntime runtime =
      new DockerRuntime(
          engine.docker.client(),
          NODE,
          PodCidr.nth("10.244.0.0/16", 12),
          "nauta/busybox:local",
          Duration.ofSeconds(1),
          Clock.systemUTC(),
          PodEvents.NONE);

  private final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withNamespace("default")
          .withName("two")
          .withUid(UUID.randomUUID().toString())
          .endMetadata()
          .withNewSpec()
          .withNodeName(NODE)
          .withRestartPolicy("Never")
          .withContainers(
              new ContainerBuilder().withName("a").withImage("nauta/busybox:local").build(),
              new ContainerBuilder().withName("b").withImage("nauta/busybox:local").build())
          .endSpec()
          .build();

  /** The listings of this pod's containers (by its uid label) made so far. */
  private long podListings() {
    return engine.docker.calls("listContainersCmd").stream()
        .filter(
            c ->
                c.with("withLabelFilter") instanceof Map<?, ?> labels
                    && pod.getMetadata().getUid().equals(labels.get(DockerLabels.POD_UID)))
        .count();
  }

  private long inspects() {
    return engine.docker.calls("inspectContainerCmd").size();
  }

  @Test
  void startingAPodLooksAtDockerOnceBeforeAndOnceAfter() {
    RuntimePod started = runtime.syncPod(pod).block(T);

    assertThat(started.containers()).hasSize(2);
    // One listing for the decisions, one for what runs after the creates; each of the three
    // containers inspected once, when it was new.
    assertThat(podListings()).isEqualTo(2);
    assertThat(inspects()).isEqualTo(3);
  }

  @Test
  void aPodThatRunsAsItShouldCostsOneListingAndNoInspect() {
    runtime.syncPod(pod).block(T);
    long listings = podListings();
    long inspects = inspects();

    RuntimePod again = runtime.syncPod(pod).block(T);

    assertThat(podListings() - listings).isEqualTo(1);
    assertThat(inspects() - inspects).isZero();
    assertThat(again.containers())
        .extracting(RuntimeContainer::state)
        .allMatch(s -> s instanceof ContainerState.Running);
  }

  @Test
  void aContainerWhoseStateChangedIsInspectedAgain() {
    runtime.syncPod(pod).block(T);
    FakeEngine.Ctr a = engine.named("a").get(0);
    a.state = "exited";
    a.exitCode = 3;
    long inspects = inspects();

    RuntimePod read = runtime.pod(pod.getMetadata().getUid()).block(T);

    assertThat(inspects() - inspects).isEqualTo(1);
    RuntimeContainer exited =
        read.containers().stream().filter(c -> c.name().equals("a")).findFirst().orElseThrow();
    assertThat(exited.state())
        .isInstanceOfSatisfying(
            ContainerState.Terminated.class, t -> assertThat(t.exitCode()).isEqualTo(3));
  }
}
