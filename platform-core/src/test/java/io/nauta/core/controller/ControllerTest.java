package io.nauta.core.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Stopping and starting a controller, as losing and regaining leadership does. */
class ControllerTest {

  // Never started: the controller only reads its (empty) store; no request leaves the test.
  private final SharedInformer<Pod> pods =
      new SharedInformer<>(
          KubeClient.of("http://127.0.0.1:9").resource(BuiltInResources.PODS, Pod.class), null);

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicInteger reconciles = new AtomicInteger();

  private final Controller controller =
      Controller.builder("test")
          .primary(pods)
          .workers(1)
          .reconcile(
              key ->
                  Mono.<Result>never()
                      .doOnSubscribe(
                          s -> {
                            reconciles.incrementAndGet();
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                          })
                      .doOnCancel(
                          () -> {
                            cancelled.incrementAndGet();
                            running.decrementAndGet();
                          }))
          .build();

  @AfterEach
  void stop() {
    controller.stop();
  }

  @Test
  void stoppingCancelsTheReconcileInFlightSoARestartNeverRunsTwoWorkerSets() {
    controller.start();
    controller.enqueue("default/a");
    controller.enqueue("default/b");
    await().until(() -> reconciles.get() == 1);

    controller.stop();
    assertThat(cancelled.get()).as("the reconcile in flight was cancelled on stop").isEqualTo(1);

    controller.start();
    controller.enqueue("default/a");
    await().until(() -> reconciles.get() == 2);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> reconciles.get() == 2);
    assertThat(maxRunning.get()).as("reconciles at once with one worker").isEqualTo(1);
  }
}
