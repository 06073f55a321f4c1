package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.RuntimeContainer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Image pulls on their own threads, on a {@link FakeEngine}: a slow one holds up no sync. */
class ImagePullsTest {

  private static final String NODE = "node-i";
  private static final String SLOW = "localhost:5000/slow:1";
  private static final Duration T = Duration.ofSeconds(10);

  private final FakeEngine engine = new FakeEngine(NODE);
  private final RecordedPodEvents events = new RecordedPodEvents();
  private final DockerRuntime runtime =
      new DockerRuntime(
          engine.docker.client(),
          NODE,
          PodCidr.nth("10.244.0.0/16", 11),
          "nauta/busybox:local",
          Duration.ofSeconds(1),
          Clock.systemUTC(),
          events);
  private final PullImageResultCallback pull = new PullImageResultCallback();
  private final AtomicBoolean pulled = new AtomicBoolean();

  private static Pod pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withContainers(new ContainerBuilder().withName("c").withImage(image).build())
        .endSpec()
        .build();
  }

  @Test
  void aSyncDoesNotWaitForAPullThePodIsSyncedAgainWhenItEnds() {
    engine
        .docker
        .on(
            "inspectImageCmd",
            call ->
                call.args().get(0).equals(SLOW) && !pulled.get()
                    ? new NotFoundException("No such image: " + SLOW)
                    : null)
        .on("pullImageCmd", call -> pull);
    Pod slow = pod("slow", SLOW);

    RuntimeContainer waiting = runtime.syncPod(slow).block(T).container("c").orElseThrow();

    assertThat(waiting.state()).isEqualTo(new ContainerState.Waiting("ContainerCreating", null));
    // The same pod synced again meanwhile does not start a second pull (the pull itself runs on
    // the pulls' own threads: it reaches the engine a moment after the sync returned).
    runtime.syncPod(slow).block(T);
    await().atMost(T).until(() -> !engine.docker.calls("pullImageCmd").isEmpty());
    // Another pod runs meanwhile.
    assertThat(runtime.syncPod(pod("other", "nauta/busybox:local")).block(T).containers())
        .allMatch(RuntimeContainer::running);
    assertThat(engine.docker.calls("pullImageCmd")).hasSize(1);

    pulled.set(true);
    pull.onComplete();

    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(runtime.syncPod(slow).block(T).container("c").orElseThrow().running())
                    .isTrue());
    assertThat(events.reasons("slow")).containsSubsequence("Pulling", "Pulled", "Created");
  }
}
