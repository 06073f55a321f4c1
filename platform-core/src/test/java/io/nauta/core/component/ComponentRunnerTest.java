package io.nauta.core.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The runner's one decision on leadership: what losing the lease and stopping each do. */
class ComponentRunnerTest {

  /** A campaign the test leads and loses by hand; closing it stops leading, as the elector does. */
  private static final class ScriptedCampaign implements Campaign {
    private volatile Runnable started;
    private volatile Runnable stopped;
    private boolean leading;
    final AtomicInteger closes = new AtomicInteger();

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
}
