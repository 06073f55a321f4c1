package io.nauta.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.RuntimePod;
import io.nauta.core.logs.LogOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class RuntimeHealthTest {

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** A runtime whose engine answers or not, as the test says. */
  private static final class Engine implements ContainerRuntime {
    volatile boolean up = true;

    @Override
    public Mono<Void> ping() {
      return up ? Mono.empty() : Mono.error(new RuntimeException("connection refused"));
    }

    @Override
    public Mono<RuntimePod> syncPod(Pod pod) {
      return Mono.empty();
    }

    @Override
    public Mono<Void> killPod(String podUid, Duration gracePeriod) {
      return Mono.empty();
    }

    @Override
    public Mono<Void> stopPod(String podUid) {
      return Mono.empty();
    }

    @Override
    public Mono<RuntimePod> pod(String podUid) {
      return Mono.empty();
    }

    @Override
    public Flux<RuntimePod> pods() {
      return Flux.empty();
    }

    @Override
    public Flux<RuntimePod> changes() {
      return Flux.empty();
    }

    @Override
    public Flux<byte[]> logs(String podUid, String container, LogOptions options) {
      return Flux.empty();
    }
  }

  private final TestClock clock = new TestClock();
  private final Engine engine = new Engine();
  private final AgentNode node =
      new AgentNode("node-0", "192.0.2.1", PodCidr.nth("10.244.0.0/16", 0), engine);
  private final RuntimeHealth health = new RuntimeHealth(clock, Duration.ofSeconds(30));

  private String check() {
    return health.notReadyReason(node).block(Duration.ofSeconds(10));
  }

  @Test
  void aRuntimeThatStopsAnsweringMakesTheNodeNotReadyAfterTheThreshold() {
    assertThat(check()).isNull();

    engine.up = false;
    clock.now = clock.now.plusSeconds(10);
    // One missed answer is not yet a runtime that is down.
    assertThat(check()).isNull();

    clock.now = clock.now.plusSeconds(25);
    assertThat(check()).isEqualTo("container runtime is down");

    engine.up = true;
    assertThat(check()).isNull();
  }
}
