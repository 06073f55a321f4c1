package io.nauta.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.SimulatedRuntime;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class PodWorkersTest {

  /** Records the writes and answers them at once. */
  static final class RecordingWriter implements PodWriter {
    final List<Pod> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> removals = new java.util.concurrent.CopyOnWriteArrayList<>();

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
  void aPodWithAForbiddenSysctlIsRejectedAsTheKubeletDoesAndNeverRuns() {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    PodWorkers admitting =
        new PodWorkers(
            writer,
            informer,
            List.of(new AgentNode("node-0", "192.0.2.1", PodCidr.nth("10.244.0.0/16", 0), runtime)),
            1,
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            new SysctlAllowlist(List.of()),
            node ->
                (pod, type, reason, message) ->
                    events.add(node + " " + type + " " + reason + ": " + message));
    Pod pod =
        new PodBuilder(pod("web", "u1", "node-0"))
            .editSpec()
            .withNewSecurityContext()
            .addNewSysctl("net.core.somaxconn", "1024")
            .endSecurityContext()
            .endSpec()
            .build();
    informer.store().upsert(pod);

    admitting.sync("default/web").block();

    assertThat(writer.statuses).hasSize(1);
    Pod written = writer.statuses.get(0);
    assertThat(written.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(written.getStatus().getReason()).isEqualTo("SysctlForbidden");
    assertThat(written.getStatus().getMessage())
        .isEqualTo("Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted");
    assertThat(events)
        .containsExactly(
            "node-0 Warning SysctlForbidden: forbidden sysctl: \"net.core.somaxconn\" not"
                + " allowlisted");
    assertThat(runtime.pod("u1").block()).isNull();

    // Failed for good: synced again, it neither runs nor is written again.
    informer
        .store()
        .upsert(
            new PodBuilder(written).editMetadata().withResourceVersion("2").endMetadata().build());
    admitting.sync("default/web").block();
    assertThat(writer.statuses).hasSize(1);
    assertThat(runtime.pod("u1").block()).isNull();
  }

  private static InformerEvent<Pod> updated(Pod previous, Pod object) {
    return new InformerEvent<>(InformerEvent.Type.UPDATED, previous, object);
  }

  @Test
  void theEchoOfItsOwnStatusWriteDoesNotSyncThePodAgainButAnyOtherChangeDoes() {
    Pod pod = pod("web", "u1", "node-0");
    informer.store().upsert(pod);
    workers.sync("default/web").block();
    Pod written = writer.statuses.get(0);
    Pod echo =
        new PodBuilder(written)
            .editMetadata()
            .withResourceVersion("2")
            .addNewManagedField()
            .withManager("nauta-agent")
            .withOperation("Update")
            .withSubresource("status")
            .endManagedField()
            .endMetadata()
            .build();

    // The write coming back through the watch: nothing to do, no look at the runtime.
    assertThat(workers.needsSync(updated(pod, echo))).isFalse();

    // Anything else does: a new label, a status someone else wrote, a deletion, a new pod.
    Pod labelled =
        new PodBuilder(echo)
            .editMetadata()
            .withResourceVersion("3")
            .addToLabels("tier", "web")
            .endMetadata()
            .build();
    assertThat(workers.needsSync(updated(echo, labelled))).isTrue();
    Pod notReady =
        new PodBuilder(echo)
            .editMetadata()
            .withResourceVersion("3")
            .endMetadata()
            .editStatus()
            .withPhase("Failed")
            .withReason("Evicted")
            .endStatus()
            .build();
    assertThat(workers.needsSync(updated(echo, notReady))).isTrue();
    Pod deleting =
        new PodBuilder(echo)
            .editMetadata()
            .withResourceVersion("3")
            .withDeletionTimestamp("2026-01-01T10:00:00Z")
            .endMetadata()
            .build();
    assertThat(workers.needsSync(updated(echo, deleting))).isTrue();
    assertThat(workers.needsSync(new InformerEvent<>(InformerEvent.Type.ADDED, null, echo)))
        .isTrue();
    assertThat(workers.needsSync(new InformerEvent<>(InformerEvent.Type.DELETED, echo, echo)))
        .isTrue();
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

  /** The simulated runtime, but killing pod {@code u-slow} ends only when the test says so. */
  static final class SlowToKill implements io.nauta.agent.runtime.ContainerRuntime {
    final SimulatedRuntime inner;
    final reactor.core.publisher.Sinks.Empty<Void> slowKillEnds =
        reactor.core.publisher.Sinks.empty();
    final reactor.core.publisher.Sinks.Many<io.nauta.agent.runtime.RuntimePod> changes =
        reactor.core.publisher.Sinks.many().multicast().onBackpressureBuffer();
    final java.util.concurrent.atomic.AtomicInteger slowKills =
        new java.util.concurrent.atomic.AtomicInteger();

    SlowToKill(SimulatedRuntime inner) {
      this.inner = inner;
    }

    @Override
    public Mono<io.nauta.agent.runtime.RuntimePod> syncPod(Pod pod) {
      return inner.syncPod(pod);
    }

    @Override
    public Mono<Void> killPod(String podUid, Duration gracePeriod) {
      if (podUid.equals("u-slow")) {
        slowKills.incrementAndGet();
        return slowKillEnds.asMono().then(inner.killPod(podUid, gracePeriod));
      }
      return inner.killPod(podUid, gracePeriod);
    }

    @Override
    public Mono<Void> stopPod(String podUid) {
      return inner.stopPod(podUid);
    }

    @Override
    public Mono<io.nauta.agent.runtime.RuntimePod> pod(String podUid) {
      return inner.pod(podUid);
    }

    @Override
    public reactor.core.publisher.Flux<io.nauta.agent.runtime.RuntimePod> pods() {
      return inner.pods();
    }

    @Override
    public reactor.core.publisher.Flux<io.nauta.agent.runtime.RuntimePod> changes() {
      return changes.asFlux();
    }

    @Override
    public reactor.core.publisher.Flux<byte[]> logs(
        String podUid, String container, io.nauta.core.logs.LogOptions options) {
      return inner.logs(podUid, container, options);
    }
  }

  @Test
  void aPodSlowToStopHoldsNoWorkerAnotherPodWaitsFor() {
    SlowToKill slow = new SlowToKill(runtime);
    PodWorkers one =
        new PodWorkers(
            writer,
            informer,
            List.of(new AgentNode("node-0", "192.0.2.1", PodCidr.nth("10.244.0.0/16", 0), slow)),
            1,
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    Pod stopping =
        new PodBuilder(pod("stopping", "u-slow", "node-0"))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T10:00:00Z")
            .withDeletionGracePeriodSeconds(30L)
            .endMetadata()
            .build();
    informer.store().upsert(stopping);
    one.start();
    try {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> slow.slowKills.get() == 1);

      // The only worker is not stuck in that kill: another pod is run meanwhile.
      Pod web = pod("web", "u2", "node-0");
      informer.store().upsert(web);
      slow.changes.tryEmitNext(
          new io.nauta.agent.runtime.RuntimePod(
              "u2", "default", "web", null, null, List.of(), List.of()));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  writer.statuses.stream().anyMatch(p -> p.getMetadata().getName().equals("web")));
      assertThat(writer.removals).isEmpty();

      // Once the kill ends, the pod is removed, without being killed a second time.
      slow.slowKillEnds.tryEmitEmpty();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> writer.removals.contains("default/stopping uid=u-slow"));
      assertThat(slow.slowKills.get()).isEqualTo(1);
    } finally {
      one.close();
    }
  }
}
