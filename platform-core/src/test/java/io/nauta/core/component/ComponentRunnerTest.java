package io.nauta.core.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.client.WriteFence;
import io.nauta.core.client.WriteFencedException;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The runner's one decision on leadership: what losing the lease and stopping each do. */
class ComponentRunnerTest {

  /** A campaign the test leads and loses by hand; closing it stops leading, as the elector does. */
  private static final class ScriptedCampaign implements Campaign {
    private volatile Runnable started;
    private volatile Runnable stopped;
    private boolean leading;
    volatile boolean fresh = true;
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public boolean holdsFreshLease() {
      return fresh;
    }

    @Override
    public synchronized void run(Runnable onStartedLeading, Runnable onStoppedLeading) {
      this.started = onStartedLeading;
      this.stopped = onStoppedLeading;
    }

    synchronized void lead() {
      leading = true;
      started.run();
    }

    synchronized void lose() {
      leading = false;
      stopped.run();
    }

    @Override
    public synchronized void close() {
      closes.incrementAndGet();
      if (leading) {
        lose();
      }
    }
  }

  private final KubeClient client = KubeClient.of("http://127.0.0.1:9");
  private final ScriptedCampaign campaign = new ScriptedCampaign();
  private final List<String> losses = new CopyOnWriteArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicInteger reconciles = new AtomicInteger();

  // Never started: no informer is registered with the runner's factory, nothing leaves the test.
  private final SharedInformer<Pod> pods =
      new SharedInformer<>(client.resource(BuiltInResources.PODS, Pod.class), null);
  private final Controller controller =
      Controller.builder("pods")
          .primary(pods)
          .workers(1)
          .reconcile(
              key ->
                  Mono.<Result>never()
                      .doOnSubscribe(s -> reconciles.incrementAndGet())
                      .doOnCancel(cancelled::incrementAndGet))
          .build();

  private final ComponentRunner runner =
      ComponentRunner.builder("test-component", client)
          .campaign(campaign)
          .onLeaseLost(losses::add)
          .build()
          .whileLeading(LeaderWork.of("recorded", starts::incrementAndGet, stops::incrementAndGet))
          .whileLeading(controller);

  @AfterEach
  void stop() {
    runner.stop();
  }

  @Test
  void losingTheLeaseCancelsTheWorkRunsTheLossActionAndNeverLeadsAgain() {
    runner.start();
    await().until(() -> campaign.started != null);
    campaign.lead();
    controller.enqueue("default/a");
    controller.enqueue("default/b");
    await().until(() -> reconciles.get() == 1);
    assertThat(runner.isLeading()).isTrue();

    campaign.lose();

    assertThat(cancelled.get()).as("the reconcile in flight was cancelled").isEqualTo(1);
    assertThat(controller.isRunning()).isFalse();
    assertThat(stops.get()).isEqualTo(1);
    assertThat(losses).containsExactly("test-component");
    assertThat(runner.leaseLost()).isTrue();
    await().until(() -> campaign.closes.get() == 1);

    // Even if the elector won the lease back, this process does not lead again.
    campaign.lead();
    assertThat(starts.get()).isEqualTo(1);
    assertThat(controller.isRunning()).isFalse();
    assertThat(runner.isLeading()).isFalse();
    assertThat(reconciles.get()).isEqualTo(1);
  }

  @Test
  void campaigningAgainAfterALossCancelsTheWorkWithoutTheLossActionAndStartsItAfreshWhenLeading() {
    ComponentRunner again =
        ComponentRunner.builder("gateway-controllers", client)
            .campaign(campaign)
            .onLeaseLost(losses::add)
            .campaignAgainAfterLeaseLoss()
            .build()
            .whileLeading(
                LeaderWork.of("recorded", starts::incrementAndGet, stops::incrementAndGet))
            .whileLeading(controller);
    WriteFence fence = again.leaderFence();
    URI target = URI.create("http://127.0.0.1:9/api/v1/namespaces/default/pods");
    try {
      again.start();
      await().until(() -> campaign.started != null);
      assertThat(fence.refusal(HttpMethod.POST, target)).contains("not leading");
      campaign.lead();
      assertThat(fence.refusal(HttpMethod.POST, target)).isNull();
      controller.enqueue("default/a");
      await().until(() -> reconciles.get() == 1);

      campaign.lose();

      assertThat(cancelled.get()).as("the reconcile in flight was cancelled").isEqualTo(1);
      assertThat(controller.isRunning()).isFalse();
      assertThat(again.isLeading()).isFalse();
      assertThat(fence.refusal(HttpMethod.POST, target)).contains("not leading");
      assertThat(losses).as("no exit").isEmpty();
      assertThat(again.leaseLost()).isFalse();
      assertThat(again.leaseLosses()).isEqualTo(1);
      assertThat(campaign.closes.get()).as("still campaigning").isZero();

      // Won back: the work starts afresh, every key of its informer enqueued again.
      campaign.lead();
      assertThat(starts.get()).isEqualTo(2);
      assertThat(controller.isRunning()).isTrue();
      assertThat(fence.refusal(HttpMethod.POST, target)).isNull();
      campaign.fresh = false;
      assertThat(fence.refusal(HttpMethod.POST, target))
          .as("a lease not renewed in time fences even a path the own client leaves open")
          .contains("not renewed");
      assertThat(
              fence.refusal(
                  HttpMethod.PUT,
                  URI.create(
                      "http://127.0.0.1:9/apis/coordination.k8s.io/v1/namespaces/a/leases/b")))
          .isNotNull();
    } finally {
      again.stop();
    }
  }

  @Test
  void anInformerSeeingTheStorageRewindStopsTheWorkOnceAndNeverLeadsAgain() {
    String rewound =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
            + "\"reason\":\"Expired\",\"message\":\"the storage lost or rewound its data\","
            + "\"details\":{\"causes\":[{\"reason\":\"StorageRewound\"}]}}}\n";
    AtomicBoolean rewind = new AtomicBoolean();
    try (FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                return new Reply(200, "{\"kind\":\"PodList\",\"metadata\":{},\"items\":[]}");
              }
              // Until the rewind, each watch ends at once and the informer watches again.
              return new Reply(200, rewind.get() ? rewound : "");
            })) {
      KubeClient api = KubeClient.of(server.url());
      ComponentRunner rewinding =
          ComponentRunner.builder("rewinding", api)
              .campaign(campaign)
              .onLeaseLost(losses::add)
              .build()
              .whileLeading(
                  LeaderWork.of("recorded", starts::incrementAndGet, stops::incrementAndGet));
      rewinding.informers().informer(BuiltInResources.PODS, Pod.class);
      try {
        rewinding.start();
        await().until(() -> campaign.started != null);
        campaign.lead();
        assertThat(starts.get()).isEqualTo(1);

        rewind.set(true);

        await().atMost(Duration.ofSeconds(10)).until(rewinding::storageRewound);
        await().until(() -> campaign.closes.get() == 1);
        assertThat(stops.get()).isEqualTo(1);
        assertThat(rewinding.isLeading()).isFalse();
        // Reported once, as a rewind; the campaign closed by the runner is not a lease loss.
        assertThat(losses).containsExactly("rewinding");
        assertThat(rewinding.leaseLost()).isFalse();
        campaign.lead();
        assertThat(starts.get()).isEqualTo(1);
      } finally {
        rewinding.stop();
      }
    }
  }

  @Test
  void stoppingStopsTheWorkAndReleasesTheLeaseWithoutALoss() {
    runner.start();
    await().until(() -> campaign.started != null);
    campaign.lead();
    assertThat(starts.get()).isEqualTo(1);

    runner.stop();

    assertThat(stops.get()).isEqualTo(1);
    assertThat(campaign.closes.get()).isEqualTo(1);
    assertThat(losses).isEmpty();
    assertThat(runner.leaseLost()).isFalse();
  }

  @Test
  void withoutLeaderElectionItLeadsOnceTheInformersSynced() {
    ComponentRunner single =
        ComponentRunner.builder("single", client)
            .onLeaseLost(losses::add)
            .build()
            .whileLeading(
                LeaderWork.of("recorded", starts::incrementAndGet, stops::incrementAndGet));
    try {
      single.start();
      await().until(single::isLeading);
      assertThat(starts.get()).isEqualTo(1);
    } finally {
      single.stop();
    }
    assertThat(stops.get()).isEqualTo(1);
  }

  @Test
  void withoutLeaderElectionTheRunningWorkStartsAtOnceAndTheLeaderWorkWaitsForTheInformers() {
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicBoolean registered = new AtomicBoolean();
    ComponentRunner agent =
        ComponentRunner.builder("agent", client)
            .onLeaseLost(losses::add)
            .build()
            .whileRunning(
                LeaderWork.of(
                    "upkeep", () -> log.add("start upkeep"), () -> log.add("stop upkeep")))
            .whileLeading(
                LeaderWork.of(
                    "workers", () -> log.add("start workers"), () -> log.add("stop workers")))
            .readyWhen(registered::get, "nodes not registered");
    // Its API server (port 9) never answers: this informer never syncs.
    agent
        .informers()
        .informer(BuiltInResources.PODS, Pod.class)
        .events()
        .subscribe(e -> {}, e -> {}, () -> log.add("informers closed"));
    try {
      agent.start();
      assertThat(log).containsExactly("start upkeep");
      assertThat(agent.isRunning()).isTrue();
      registered.set(true);
      await().during(Duration.ofMillis(300)).until(() -> !agent.isLeading());
      assertThat(agent.isReady()).as("informers not synced").isFalse();
      assertThat(log).containsExactly("start upkeep");
    } finally {
      agent.stop();
    }
    assertThat(log).containsExactly("start upkeep", "stop upkeep", "informers closed");
    assertThat(losses).isEmpty();
  }

  @Test
  void readinessWaitsForEveryConditionBesidesTheInformers() {
    AtomicBoolean registered = new AtomicBoolean();
    ComponentRunner agent =
        ComponentRunner.builder("agent", client)
            .build()
            .readyWhen(registered::get, "nodes not registered");
    try {
      agent.start();
      await().until(agent::isLeading);
      assertThat(agent.isReady()).isFalse();
      registered.set(true);
      assertThat(agent.isReady()).isTrue();
    } finally {
      agent.stop();
    }
  }

  @Test
  void startsTheRunningWorkBeforeTheLeaderWorkAndStopsBothInReverse() {
    List<String> log = new CopyOnWriteArrayList<>();
    ComponentRunner ordered =
        ComponentRunner.builder("ordered", client)
            .campaign(campaign)
            .onLeaseLost(losses::add)
            .build();
    for (String name : List.of("cache", "proxy")) {
      ordered.whileRunning(
          LeaderWork.of(name, () -> log.add("start " + name), () -> log.add("stop " + name)));
    }
    for (String name : List.of("queue", "controller")) {
      ordered.whileLeading(
          LeaderWork.of(name, () -> log.add("start " + name), () -> log.add("stop " + name)));
    }

    ordered.start();
    assertThat(log).containsExactly("start cache", "start proxy");
    await().until(() -> campaign.started != null);
    campaign.lead();
    ordered.stop();

    assertThat(log)
        .containsExactly(
            "start cache",
            "start proxy",
            "start queue",
            "start controller",
            "stop controller",
            "stop queue",
            "stop proxy",
            "stop cache");
    assertThat(campaign.closes.get()).isEqualTo(1);
    assertThat(losses).isEmpty();
  }

  @Test
  void leaderWorkWritesOnlyWhileTheLeaseIsFreshButTheLeaseItselfIsAlwaysWritten() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(200, POD))) {
      KubeClient api = KubeClient.of(server.url());
      ComponentRunner fenced =
          ComponentRunner.builder("fenced", api)
              .campaign(campaign)
              .onLeaseLost(losses::add)
              .build();
      ResourceClient<Pod> pods = api.resource(BuiltInResources.PODS, Pod.class);
      ResourceClient<Lease> leases = api.resource(BuiltInResources.LEASES, Lease.class);
      try {
        fenced.start();
        await().until(() -> campaign.started != null);

        StepVerifier.create(pods.create(pod())).verifyError(WriteFencedException.class);
        StepVerifier.create(leases.update(lease())).expectNextCount(1).verifyComplete();

        campaign.lead();
        StepVerifier.create(pods.create(pod())).expectNextCount(1).verifyComplete();

        // Resumed after a freeze past the lease: the elector has not noticed yet, the fence has.
        campaign.fresh = false;
        StepVerifier.create(pods.create(pod())).verifyError(WriteFencedException.class);
        StepVerifier.create(leases.update(lease())).expectNextCount(1).verifyComplete();
        StepVerifier.create(pods.get("default", "web")).expectNextCount(1).verifyComplete();
      } finally {
        fenced.stop();
      }
      assertThat(server.requests())
          .containsExactly(
              "PUT /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/fenced",
              "POST /api/v1/namespaces/default/pods",
              "PUT /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/fenced",
              "GET /api/v1/namespaces/default/pods/web");
    }
  }

  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
          + "\"namespace\":\"default\",\"resourceVersion\":\"7\"}}";

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .endMetadata()
        .build();
  }

  private static Lease lease() {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("fenced")
        .withNamespace("kube-system")
        .withResourceVersion("7")
        .endMetadata()
        .build();
  }
}
