package io.nauta.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class ContainerProbesTest {

  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProbeTarget TARGET = new ProbeTarget("c1", "10.244.0.2", List.of());

  /** Answers what the test says for each probe (told apart by their command) and records calls. */
  private static final class FakeProber implements Prober {
    final Map<ProbeKind, ProbeResult> answers = new EnumMap<>(ProbeKind.class);
    final List<ProbeKind> calls = new ArrayList<>();

    @Override
    public Mono<ProbeOutcome> probe(Probe probe, ProbeTarget target, Duration timeout) {
      ProbeKind kind = ProbeKind.valueOf(probe.getExec().getCommand().get(0));
      calls.add(kind);
      return Mono.justOrEmpty(answers.get(kind))
          .map(
              r ->
                  r == ProbeResult.SUCCESS
                      ? ProbeOutcome.success()
                      : ProbeOutcome.failure(kind + " said no"));
    }
  }

  private final FakeProber prober = new FakeProber();

  @Test
  void aContainerWithoutProbesIsStartedAndReady() {
    ContainerProbes probes = new ContainerProbes(new ContainerBuilder().build(), STARTED);
    assertThat(probes.started()).isTrue();
    assertThat(probes.ready()).isTrue();
    assertThat(probes.unhealthy()).isFalse();
  }

  @Test
  void readinessGatesReadyAndRunsOnlyAfterTheInitialDelay() {
    ContainerProbes probes =
        new ContainerProbes(container(null, null, probe(ProbeKind.READINESS, 3, 1, 1)), STARTED);
    prober.answers.put(ProbeKind.READINESS, ProbeResult.SUCCESS);

    assertThat(run(probes, 2)).isFalse();
    assertThat(prober.calls).isEmpty();
    assertThat(probes.started()).isTrue();
    assertThat(probes.ready()).isFalse();

    assertThat(run(probes, 3)).isTrue();
    assertThat(probes.ready()).isTrue();

    prober.answers.put(ProbeKind.READINESS, ProbeResult.FAILURE);
    assertThat(run(probes, 4)).isTrue();
    assertThat(probes.ready()).isFalse();
    assertThat(probes.unhealthy()).as("readiness never kills").isFalse();
  }

  @Test
  void livenessMakesTheContainerUnhealthyAfterFailureThresholdFailures() {
    ContainerProbes probes =
        new ContainerProbes(container(null, probe(ProbeKind.LIVENESS, 0, 1, 3), null), STARTED);
    prober.answers.put(ProbeKind.LIVENESS, ProbeResult.FAILURE);

    run(probes, 0);
    run(probes, 1);
    assertThat(probes.unhealthy()).isFalse();
    assertThat(probes.ready()).as("liveness does not gate readiness").isTrue();
    assertThat(run(probes, 2)).isTrue();
    assertThat(probes.unhealthy()).isTrue();
    assertThat(probes.unhealthyBy()).isEqualTo(ProbeKind.LIVENESS);
  }

  @Test
  void everyFailedRunIsReportedWithItsMessageAsTheKubeletWordsIt() {
    ContainerProbes probes =
        new ContainerProbes(
            container(
                null, probe(ProbeKind.LIVENESS, 0, 1, 3), probe(ProbeKind.READINESS, 0, 1, 1)),
            STARTED);
    prober.answers.put(ProbeKind.LIVENESS, ProbeResult.FAILURE);
    prober.answers.put(ProbeKind.READINESS, ProbeResult.SUCCESS);

    ContainerProbes.Run first = probes.run(prober, TARGET, STARTED).block();

    assertThat(first.failures())
        .extracting(ProbeFailure::eventMessage)
        .containsExactly("Liveness probe failed: LIVENESS said no");
    assertThat(probes.unhealthyBy()).as("one failure of three").isNull();
    prober.answers.put(ProbeKind.LIVENESS, ProbeResult.SUCCESS);
    assertThat(probes.run(prober, TARGET, STARTED.plusSeconds(1)).block().failures()).isEmpty();
  }

  @Test
  void anErrorOrNoAnswerCountsAsAFailure() {
    ContainerProbes probes =
        new ContainerProbes(container(null, probe(ProbeKind.LIVENESS, 0, 1, 1), null), STARTED);
    run(probes, 0);
    assertThat(probes.unhealthy()).isTrue();
  }

  @Test
  void startupHoldsBackLivenessAndReadinessUntilItSucceeds() {
    ContainerProbes probes =
        new ContainerProbes(
            container(
                probe(ProbeKind.STARTUP, 0, 1, 5),
                probe(ProbeKind.LIVENESS, 0, 1, 1),
                probe(ProbeKind.READINESS, 0, 1, 1)),
            STARTED);
    prober.answers.put(ProbeKind.STARTUP, ProbeResult.FAILURE);
    prober.answers.put(ProbeKind.LIVENESS, ProbeResult.FAILURE);
    prober.answers.put(ProbeKind.READINESS, ProbeResult.SUCCESS);

    run(probes, 0);
    run(probes, 1);
    assertThat(prober.calls).containsExactly(ProbeKind.STARTUP, ProbeKind.STARTUP);
    assertThat(probes.started()).isFalse();
    assertThat(probes.ready()).isFalse();
    assertThat(probes.unhealthy()).isFalse();

    prober.answers.put(ProbeKind.STARTUP, ProbeResult.SUCCESS);
    assertThat(run(probes, 2)).isTrue();
    assertThat(probes.started()).isTrue();
    assertThat(probes.ready()).as("readiness has not run yet").isFalse();

    prober.calls.clear();
    run(probes, 3);
    assertThat(prober.calls)
        .containsExactlyInAnyOrder(ProbeKind.LIVENESS, ProbeKind.READINESS)
        .doesNotContain(ProbeKind.STARTUP);
    assertThat(probes.ready()).isTrue();
    assertThat(probes.unhealthy()).isTrue();
  }

  @Test
  void aStartupProbeThatKeepsFailingMakesTheContainerUnhealthy() {
    ContainerProbes probes =
        new ContainerProbes(container(probe(ProbeKind.STARTUP, 0, 1, 2), null, null), STARTED);
    prober.answers.put(ProbeKind.STARTUP, ProbeResult.FAILURE);
    run(probes, 0);
    assertThat(probes.unhealthy()).isFalse();
    run(probes, 1);
    assertThat(probes.unhealthy()).isTrue();
    assertThat(probes.started()).isFalse();
  }

  private boolean run(ContainerProbes probes, int secondsAfterStart) {
    return probes.run(prober, TARGET, STARTED.plusSeconds(secondsAfterStart)).block().changed();
  }

  private static Container container(Probe startup, Probe liveness, Probe readiness) {
    return new ContainerBuilder()
        .withName("app")
        .withStartupProbe(startup)
        .withLivenessProbe(liveness)
        .withReadinessProbe(readiness)
        .build();
  }

  private static Probe probe(ProbeKind kind, int delay, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand(kind.name())
        .endExec()
        .withInitialDelaySeconds(delay)
        .withPeriodSeconds(period)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
