package io.nauta.scheduler.it;

import static io.nauta.scheduler.it.Cluster.T;
import static io.nauta.scheduler.it.Cluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.events.EventWriter;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.cycle.SchedulingAlgorithm;
import io.nauta.scheduler.engine.FailureRecorder;
import io.nauta.scheduler.engine.PodScheduler;
import io.nauta.scheduler.engine.SchedulerMetrics;
import io.nauta.scheduler.engine.SchedulingQueue;
import io.nauta.scheduler.plugins.DefaultProfile;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * One scheduling attempt's binding against a real API server: the binding does not wait for its
 * {@code Scheduled} event, and a binding the API server refuses forgets the pod assumed onto the
 * node, so it counts nowhere and goes round again.
 */
class BindingIT {

  private static final String NS = "bind";

  private TestApiServer api;
  private Cluster cluster;
  private KubeClient client;
  private InformerStore<Pod> pods;
  private SchedulerCache cache;
  private EventWriter eventWriter;
  private PodScheduler scheduler;

  @BeforeEach
  void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    cluster = new Cluster(api);
    client = cluster.client;
    cluster.namespace(NS);
    cache = new SchedulerCache(Duration.ofSeconds(30));
    cache.addOrUpdateNode(cluster.node("n1", Map.of("cpu", "4", "memory", "8Gi"), Map.of()));
    pods = new InformerStore<>();
    MeterRegistry registry = new SimpleMeterRegistry();
    SchedulingQueue queue =
        new SchedulingQueue(registry, Duration.ofMillis(200), Duration.ofSeconds(2));
    EventRecorder events = new EventRecorder(client, "default-scheduler", "test");
    // One event write at a time, so a test can hold the slot.
    eventWriter = new EventWriter(1, 10, registry, "nauta.scheduler.events.dropped");
    scheduler =
        new PodScheduler(
            "default-scheduler",
            pods,
            cache,
            new SchedulingAlgorithm(DefaultProfile.create("default-scheduler"), 0, new Random(1)),
            client,
            queue,
            new FailureRecorder(
                client.resource(BuiltInResources.PODS, Pod.class), events, client.mapper()),
            events,
            eventWriter,
            new SchedulerMetrics(registry, queue));
  }

  @AfterEach
  void stop() {
    eventWriter.stop();
    api.close();
  }

  @Test
  void bindsWithoutWaitingForItsScheduledEvent() {
    Pod pending = pending("web");
    // The API server is slow to take events: the only event slot is held by a write that has not
    // finished.
    Sinks.Empty<Void> slowEvent = Sinks.empty();
    eventWriter.write(slowEvent::asMono);

    Result result = scheduler.attempt(InformerStore.keyOf(pending)).block(T);

    assertThat(result).isEqualTo(Result.done());
    assertThat(cluster.nodeOf(NS, "web")).isEqualTo("n1");
    assertThat(eventWriter.backlog()).as("the Scheduled event waits its turn").isEqualTo(1);

    slowEvent.tryEmitEmpty();
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resource(BuiltInResources.EVENTS, Event.class)
                            .list(NS, ListOptions.none())
                            .block(T)
                            .items())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("Scheduled");
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                          assertThat(e.getMessage())
                              .isEqualTo("Successfully assigned bind/web to n1");
                        }));
  }

  @Test
  void aBindingRefusedBecauseThePodIsBoundAlreadyForgetsTheAssumptionAndRequeues() {
    Pod pending = pending("web");
    // Someone else bound it since the informer saw it pending: the API server answers 409.
    client.bind(NS, "web", "n1").block(T);

    Result result = scheduler.attempt(InformerStore.keyOf(pending)).block(T);

    assertThat(result).isEqualTo(Result.requeue());
    assertThat(cache.isAssumed(pending.getMetadata().getUid())).isFalse();
    assertThat(requestedMilliCpu("n1")).as("the assumed pod no longer counts").isZero();
  }

  @Test
  void aBindingRefusedBecauseThePodIsGoneForgetsTheAssumption() {
    Pod pending = pending("web");
    cluster
        .pods
        .delete(NS, "web", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
        .block(T);

    Result result = scheduler.attempt(InformerStore.keyOf(pending)).block(T);

    assertThat(result).isEqualTo(Result.done());
    assertThat(cache.isAssumed(pending.getMetadata().getUid())).isFalse();
    assertThat(requestedMilliCpu("n1")).isZero();
  }

  /** A pending pod created through the API and seen by the (hand-fed) informer store. */
  private Pod pending(String name) {
    Pod pod = cluster.create(pod(NS, name, Map.of("cpu", "1")));
    pods.upsert(pod);
    return pod;
  }

  private long requestedMilliCpu(String node) {
    return cache.withSnapshot(s -> s.get(node).requested().milliCpu());
  }
}
