package io.nauta.agent.probes;

import static io.nauta.agent.probes.ProbeResult.FAILURE;
import static io.nauta.agent.probes.ProbeResult.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeWorkerTest {

  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void appliesKubernetesDefaultsForWhatTheSpecLeavesOut() {
    assertThat(ProbeSettings.of(new Probe()))
        .isEqualTo(
            new ProbeSettings(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 3));
  }

  @Test
  void isDueAfterTheInitialDelayAndThenEveryPeriod() {
    ProbeWorker w = worker(ProbeKind.READINESS, 5, 2, 1, 1);

    assertThat(w.due(STARTED)).isFalse();
    assertThat(w.due(STARTED.plusSeconds(4))).isFalse();
    assertThat(w.due(STARTED.plusSeconds(5))).isTrue();
    w.record(SUCCESS, STARTED.plusSeconds(5));
    assertThat(w.due(STARTED.plusSeconds(6))).isFalse();
    assertThat(w.due(STARTED.plusSeconds(7))).isTrue();
  }

  @Test
  void startsNotReadyAndAlive() {
    assertThat(worker(ProbeKind.READINESS, 0, 1, 1, 3).result()).isEqualTo(FAILURE);
    assertThat(worker(ProbeKind.STARTUP, 0, 1, 1, 3).result()).isEqualTo(FAILURE);
    assertThat(worker(ProbeKind.LIVENESS, 0, 1, 1, 3).result()).isEqualTo(SUCCESS);
    // An initial result is not a failure to act on: a startup probe has not failed yet.
    assertThat(worker(ProbeKind.STARTUP, 0, 1, 1, 3).failed()).isFalse();
  }

  static Stream<Arguments> runs() {
    return Stream.of(
        // kind, successThreshold, failureThreshold, runs, result after each run
        Arguments.of(ProbeKind.READINESS, 1, 3, List.of(SUCCESS), List.of(SUCCESS)),
        Arguments.of(
            ProbeKind.READINESS,
            2,
            3,
            List.of(SUCCESS, SUCCESS, FAILURE, SUCCESS),
            List.of(FAILURE, SUCCESS, SUCCESS, SUCCESS)),
        Arguments.of(
            ProbeKind.READINESS,
            1,
            3,
            List.of(SUCCESS, FAILURE, FAILURE, SUCCESS, FAILURE, FAILURE, FAILURE),
            List.of(SUCCESS, SUCCESS, SUCCESS, SUCCESS, SUCCESS, SUCCESS, FAILURE)),
        Arguments.of(
            ProbeKind.LIVENESS,
            1,
            2,
            List.of(FAILURE, SUCCESS, FAILURE, FAILURE),
            List.of(SUCCESS, SUCCESS, SUCCESS, FAILURE)),
        Arguments.of(
            ProbeKind.STARTUP,
            1,
            30,
            List.of(FAILURE, FAILURE, SUCCESS),
            List.of(FAILURE, FAILURE, SUCCESS)));
  }

  @ParameterizedTest(name = "{0} success {1} failure {2}: {3} -> {4}")
  @MethodSource("runs")
  void changesResultOnlyAfterThresholdRunsInARow(
      ProbeKind kind,
      int successThreshold,
      int failureThreshold,
      List<ProbeResult> runs,
      List<ProbeResult> expected) {
    ProbeWorker w = worker(kind, 0, 1, successThreshold, failureThreshold);
    for (int i = 0; i < runs.size(); i++) {
      w.record(runs.get(i), STARTED.plusSeconds(i));
      assertThat(w.result()).as("after run %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  @Test
  void saysWhenTheResultChanged() {
    ProbeWorker w = worker(ProbeKind.READINESS, 0, 1, 1, 2);
    assertThat(w.record(SUCCESS, STARTED)).isTrue();
    assertThat(w.record(SUCCESS, STARTED.plusSeconds(1))).isFalse();
    assertThat(w.record(FAILURE, STARTED.plusSeconds(2))).isFalse();
    assertThat(w.record(FAILURE, STARTED.plusSeconds(3))).isTrue();
    assertThat(w.failed()).isTrue();
  }

  private static ProbeWorker worker(
      ProbeKind kind, int delay, int period, int successThreshold, int failureThreshold) {
    Probe probe =
        new ProbeBuilder()
            .withInitialDelaySeconds(delay)
            .withPeriodSeconds(period)
            .withSuccessThreshold(successThreshold)
            .withFailureThreshold(failureThreshold)
            .build();
    return new ProbeWorker(kind, ProbeSettings.of(probe), STARTED);
  }
}
