package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.nauta.agent.probes.ProbeOutcome;
import io.nauta.agent.probes.ProbeTarget;
import io.nauta.agent.probes.Prober;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** The node's probes on a {@link FakeEngine}: one slow probe holds up no other container's. */
class ContainerProbingTest {

  private static final String NODE = "node-p";

  private final FakeEngine engine = new FakeEngine(NODE);

  /** Probes of container "slow" never end (an exec hanging for its timeout); others succeed. */
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  private final Prober prober =
      (Probe probe, ProbeTarget target, Duration timeout) -> {
        runs.computeIfAbsent(target.containerId(), k -> new AtomicInteger()).incrementAndGet();
        return target.containerId().equals("slow")
            ? Mono.never()
            : Mono.just(ProbeOutcome.success());
      };

  private void runningWithReadinessProbe(String id) {
    Container spec =
        new ContainerBuilder()
            .withName(id)
            .withImage("nauta/busybox:local")
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("true")
            .endExec()
            .withPeriodSeconds(1)
            .withTimeoutSeconds(30)
            .endReadinessProbe()
            .build();
    Map<String, String> labels = new HashMap<>();
    labels.put(DockerLabels.NODE, NODE);
    labels.put(DockerLabels.POD_UID, "uid-" + id);
    labels.put(DockerLabels.POD_NAMESPACE, "default");
    labels.put(DockerLabels.POD_NAME, "pod-" + id);
    labels.put(DockerLabels.CONTAINER_NAME, id);
    labels.put(DockerLabels.PROBES, ProbeLabels.json(spec));
    labels.put(DockerLabels.PROBE_GRACE_PERIOD, "30");
    FakeEngine.Ctr c = new FakeEngine.Ctr(id, labels, "nauta/busybox:local", null);
    c.state = "running";
    engine.containers.put(id, c);
  }

  @Test
  void aProbeThatHangsDelaysNoOtherContainersProbes() {
    runningWithReadinessProbe("slow");
    runningWithReadinessProbe("quick");
    DockerContainers containers = new DockerContainers(engine.docker.client());
    ContainerProbing probing =
        new ContainerProbing(
            engine.docker.client(),
            containers,
            new NodeNetwork(
                engine.docker.client(),
                containers,
                NODE,
                PodCidr.nth("10.244.0.0/16", 7),
                "127.0.0.1"),
            prober,
            NODE,
            Clock.systemUTC(),
            PodEvents.NONE);

    Disposable running = probing.changedPods(Duration.ofMillis(100)).subscribe();
    try {
      // Every second (its period) for three seconds, while the other's first run never ends.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(runs.getOrDefault("quick", new AtomicInteger()).get())
                      .isGreaterThanOrEqualTo(3));
      assertThat(runs.get("slow").get()).isEqualTo(1);
    } finally {
      running.dispose();
    }
  }
}
