package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Pods being stopped never hold the threads another pod's start needs: stops run on a pool of their
 * own ({@link DockerThreads}). On a {@link FakeEngine} whose {@code docker rm} hangs (as the
 * engine's does for a container whose storage is busy), more pods are stopped than both pools have
 * threads, and a new pod still starts.
 */
class StopsDoNotHoldStartsTest {

  private static final String NODE = "node-s";
  private static final Duration T = Duration.ofSeconds(20);
  private static final int THREADS = 2;

  private final FakeEngine engine = new FakeEngine(NODE);
  private final CountDownLatch removals = new CountDownLatch(1);
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  private final List<Disposable> kills = new ArrayList<>();
  private final DockerRuntime runtime =
      new DockerRuntime(
          engine.docker.client(),
          NODE,
          PodCidr.nth("10.244.0.0/16", 13),
          "nauta/busybox:local",
          Duration.ofSeconds(1),
          Clock.systemUTC(),
          PodEvents.NONE,
          PodSetup.offline(
              java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "nauta-agent", NODE),
              "127.0.0.1"),
          DockerThreads.of(THREADS, THREADS, 1));

  StopsDoNotHoldStartsTest() {
    Function<FakeDocker.Call, Object> remove = engine.docker.answer("removeContainerCmd");
    engine.docker.on(
        "removeContainerCmd",
        call -> {
          if (hanging.contains((String) call.args().get(0))) {
            try {
              removals.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return remove.apply(call);
        });
  }

  @AfterEach
  void release() {
    removals.countDown();
    kills.forEach(Disposable::dispose);
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withContainers(
            new ContainerBuilder().withName("app").withImage("nauta/busybox:local").build())
        .endSpec()
        .build();
  }

  @Test
  void aPodStartsWhileMorePodsThanThereAreThreadsHangInTheirRemoval() {
    List<Pod> stopping = new ArrayList<>();
    for (int i = 0; i < 2 * THREADS + 1; i++) {
      Pod p = pod("old-" + i);
      runtime.syncPod(p).block(T);
      stopping.add(p);
    }
    engine.containers.values().forEach(c -> hanging.add(c.id));
    for (Pod p : stopping) {
      kills.add(runtime.killPod(p.getMetadata().getUid(), Duration.ZERO).subscribe());
    }
    // Every stop thread is held by a removal that hangs.
    Awaitility.await()
        .atMost(T)
        .until(() -> engine.docker.calls("removeContainerCmd").size() >= THREADS);

    RuntimePod started = runtime.syncPod(pod("new")).block(Duration.ofSeconds(10));

    assertThat(started).isNotNull();
    assertThat(started.containers()).hasSize(1);
  }
}
