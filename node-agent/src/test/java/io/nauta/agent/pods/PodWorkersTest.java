package io.nauta.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.SimulatedRuntime;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class PodWorkersTest {

  /** Records the writes and answers them at once. */
  static final class RecordingWriter implements PodWriter {
    final List<Pod> statuses = new ArrayList<>();
    final List<String> removals = new ArrayList<>();

    @Override
    public Mono<Void> writeStatus(Pod pod) {
      return Mono.fromRunnable(() -> statuses.add(pod));
    }

    @Override
    public Mono<Void> remove(String namespace, String name, String uid) {
      return Mono.fromRunnable(() -> removals.add(namespace + "/" + name + " uid=" + uid));
    }
  }

  private final RecordingWriter writer = new RecordingWriter();
  private final SimulatedRuntime runtime =
      new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 0), Duration.ZERO, Clock.systemUTC());
  // Never started: the test fills its store as the informer would.
  private final SharedInformer<Pod> informer =
      new SharedInformer<>(
          KubeClient.of("http://127.0.0.1:1").resource(BuiltInResources.PODS, Pod.class), null);
  private PodWorkers workers;

  @BeforeEach
  void setUp() {
    workers =
        new PodWorkers(
            writer,
            informer,
            List.of(new AgentNode("node-0", "192.0.2.1", PodCidr.nth("10.244.0.0/16", 0), runtime)),
            1,
            new SimpleMeterRegistry(),
            Clock.systemUTC());
  }

  private static Pod pod(String name, String uid, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(uid)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void runsABoundPodAndWritesItsStatusOnlyWhileItChanges() {
    informer.store().upsert(pod("web", "u1", "node-0"));

    assertThat(workers.sync("default/web").block()).isEqualTo(Result.done());

    assertThat(writer.statuses).hasSize(1);
    Pod written = writer.statuses.get(0);
    assertThat(written.getStatus().getPhase()).isEqualTo("Running");
    assertThat(written.getStatus().getPodIP()).isEqualTo("10.244.0.2");
    assertThat(written.getStatus().getHostIP()).isEqualTo("192.0.2.1");
    assertThat(runtime.pod("u1").block()).isNotNull();

    // The informer brings the written status back: nothing more to write.
    informer
        .store()
        .upsert(
            new PodBuilder(written).editMetadata().withResourceVersion("2").endMetadata().build());
    workers.sync("default/web").block();
    assertThat(writer.statuses).hasSize(1);
  }

  @Test
  void aPodBeingDeletedIsStoppedAndThenRemovedWithItsUidAsPrecondition() {
    informer.store().upsert(pod("web", "u1", "node-0"));
    workers.sync("default/web").block();
    informer
        .store()
        .upsert(
            new PodBuilder(pod("web", "u1", "node-0"))
                .editMetadata()
                .withResourceVersion("3")
                .withDeletionTimestamp("2026-01-01T10:00:00Z")
                .withDeletionGracePeriodSeconds(30L)
                .endMetadata()
                .build());

    workers.sync("default/web").block();

    assertThat(runtime.pod("u1").block()).isNull();
    assertThat(writer.removals).containsExactly("default/web uid=u1");
  }

  @Test
  void aPodGoneFromTheApiServerIsStopped() {
    Pod pod = pod("web", "u1", "node-0");
    informer.store().upsert(pod);
    workers.sync("default/web").block();
    informer.store().remove(pod);

    workers.sync("default/web").block();

    assertThat(runtime.pods().collectList().block()).isEmpty();
    assertThat(writer.removals).isEmpty();
  }

  @Test
  void aPodRecreatedUnderTheSameNameReplacesTheOldOne() {
    informer.store().upsert(pod("web", "u1", "node-0"));
    workers.sync("default/web").block();
    informer
        .store()
        .upsert(
            new PodBuilder(pod("web", "u2", "node-0"))
                .editMetadata()
                .withResourceVersion("5")
                .endMetadata()
                .build());

    workers.sync("default/web").block();

    assertThat(runtime.pods().map(p -> p.uid()).collectList().block()).containsExactly("u2");
  }

  @Test
  void leavesPodsOfOtherNodesAlone() {
    informer.store().upsert(pod("web", "u1", "node-7"));

    workers.sync("default/web").block();

    assertThat(writer.statuses).isEmpty();
    assertThat(runtime.pods().collectList().block()).isEmpty();
  }
}
