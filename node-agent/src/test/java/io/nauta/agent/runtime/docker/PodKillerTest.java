package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stopping a pod on a {@link FakeEngine}: SIGTERM, then SIGKILL once the grace period is over. */
class PodKillerTest {

  private static final String NODE = "node-k";
  private static final Duration T = Duration.ofSeconds(20);

  private final FakeEngine engine = new FakeEngine(NODE);
  private final DockerRuntime runtime =
      new DockerRuntime(
          engine.docker.client(),
          NODE,
          PodCidr.nth("10.244.0.0/16", 9),
          "nauta/busybox:local",
          Duration.ofSeconds(1),
          Clock.systemUTC(),
          PodEvents.NONE);

  private Pod runningPod() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("two")
            .withUid(UUID.randomUUID().toString())
            .endMetadata()
            .withNewSpec()
            .withNodeName(NODE)
            .withContainers(
                new ContainerBuilder().withName("polite").withImage("nauta/busybox:local").build(),
                new ContainerBuilder()
                    .withName("stubborn")
                    .withImage("nauta/busybox:local")
                    .build())
            .endSpec()
            .build();
    runtime.syncPod(pod).block(T);
    return pod;
  }

  @Test
  void sendsSigtermAndSigkillsWhatStillRunsWhenTheGracePeriodIsOver() {
    Pod pod = runningPod();
    engine.ignoreSigterm.add("stubborn");
    var polite = engine.named("polite").get(0).id;

    long start = System.nanoTime();
    runtime.killPod(pod.getMetadata().getUid(), Duration.ofSeconds(2)).block(T);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(engine.docker.calls("killContainerCmd"))
        .extracting(
            c -> (c.args().get(0).equals(polite) ? "polite " : "stubborn ") + c.with("withSignal"))
        .containsExactlyInAnyOrder("polite SIGTERM", "stubborn SIGTERM", "stubborn SIGKILL");
    // No blocking docker stop: the grace period passed on a timer.
    assertThat(engine.docker.calls("stopContainerCmd")).isEmpty();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(engine.containers).isEmpty();
  }

  @Test
  void aBusyEngineSlowerThanTheExitCheckDoesNotFailTheStop() {
    Pod pod = runningPod();
    engine.ignoreSigterm.add("stubborn");
    // Every listing takes longer than the exit check's period, as on an engine under load.
    var list = engine.docker.answer("listContainersCmd");
    engine.docker.on(
        "listContainersCmd",
        call -> {
          try {
            Thread.sleep(PodKiller.EXIT_CHECK.toMillis() * 3);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return list.apply(call);
        });

    runtime.killPod(pod.getMetadata().getUid(), Duration.ofSeconds(3)).block(T);

    assertThat(engine.containers).isEmpty();
  }

  @Test
  void aPodWhoseContainersExitOnSigtermIsRemovedWithoutWaitingOutItsGracePeriod() {
    Pod pod = runningPod();

    long start = System.nanoTime();
    runtime.killPod(pod.getMetadata().getUid(), Duration.ofSeconds(30)).block(T);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(engine.docker.calls("killContainerCmd"))
        .extracting(c -> c.with("withSignal"))
        .containsExactly("SIGTERM", "SIGTERM");
    assertThat(engine.containers).isEmpty();
  }
}
