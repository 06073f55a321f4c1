package io.nauta.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class SimulatedRuntimeTest {

  private static Pod pod(String uid) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("p-" + uid)
        .withUid(uid)
        .endMetadata()
        .withNewSpec()
        .addNewInitContainer()
        .withName("init")
        .withImage("busybox")
        .endInitContainer()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void withoutADelayContainersRunAtOnceAndInitContainersHaveCompleted() {
    SimulatedRuntime rt =
        new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 1), Duration.ZERO, Clock.systemUTC());

    StepVerifier.create(rt.syncPod(pod("u1")))
        .assertNext(
            p -> {
              assertThat(p.ip()).isEqualTo("10.244.1.2");
              assertThat(p.container("app").get().running()).isTrue();
              assertThat(p.container("app").get().containerId()).startsWith("simulated://");
              assertThat(p.initContainer("init").get().state())
                  .isInstanceOf(ContainerState.Terminated.class);
            })
        .verifyComplete();
  }

  @Test
  void withADelayContainersAreCreatingAndThenRunAndTheChangeIsReported() {
    SimulatedRuntime rt =
        new SimulatedRuntime(
            PodCidr.nth("10.244.0.0/16", 0), Duration.ofMillis(200), Clock.systemUTC());

    StepVerifier.create(rt.changes().take(1))
        .then(
            () ->
                assertThat(rt.syncPod(pod("u1")).block().container("app").get().state())
                    .isEqualTo(new ContainerState.Waiting("ContainerCreating", null)))
        .assertNext(p -> assertThat(p.container("app").get().running()).isTrue())
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void syncingAgainChangesNothingAndKillingFreesTheIp() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 0);
    SimulatedRuntime rt = new SimulatedRuntime(cidr, Duration.ZERO, Clock.systemUTC());
    RuntimePod first = rt.syncPod(pod("u1")).block();

    assertThat(rt.syncPod(pod("u1")).block()).isEqualTo(first);
    rt.killPod("u1", Duration.ofSeconds(30)).block();
    StepVerifier.create(rt.pod("u1")).verifyComplete();
    assertThat(cidr.inUse(first.ip())).isFalse();
    // Free, but not handed out again at once (round-robin, as host-local IPAM).
    assertThat(rt.syncPod(pod("u2")).block().ip()).isNotEqualTo(first.ip());
  }
}
