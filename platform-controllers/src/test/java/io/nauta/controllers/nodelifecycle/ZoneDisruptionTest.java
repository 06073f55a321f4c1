package io.nauta.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Zone states and per-zone taint rates, as kube-controller-manager computes them. */
class ZoneDisruptionTest {

  private static final EvictionProperties DEFAULTS = new EvictionProperties(0.1, 0.01, 0.55, 50);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ZoneDisruption disruption = new ZoneDisruption(DEFAULTS);

  /** A zone of {@code ready} ready and {@code notReady} not-ready nodes. */
  private static List<Boolean> zone(int ready, int notReady) {
    List<Boolean> out = new ArrayList<>(Collections.nCopies(ready, true));
    out.addAll(Collections.nCopies(notReady, false));
    return out;
  }

  @ParameterizedTest(name = "{0} ready, {1} not ready: {2}")
  @CsvSource({
    "10, 0, NORMAL",
    "9, 1, NORMAL",
    "1, 2, NORMAL", // two not ready are never a disruption, whatever the share
    "0, 1, FULL_DISRUPTION",
    "0, 10, FULL_DISRUPTION",
    "2, 3, PARTIAL_DISRUPTION", // 60 %
    "5, 5, NORMAL", // 50 % < 55 %
    "9, 11, PARTIAL_DISRUPTION", // exactly 55 %
    "10, 11, NORMAL", // 52 %
    "1, 99, PARTIAL_DISRUPTION",
    "0, 0, NORMAL"
  })
  void computesTheZoneStateFromTheShareOfNodesNotReady(int ready, int notReady, ZoneState state) {
    assertThat(ZoneDisruption.computeZoneState(zone(ready, notReady), 0.55)).isEqualTo(state);
  }

  static Stream<Arguments> rates() {
    return Stream.of(
        Arguments.of(ZoneState.NORMAL, 10, 0.1),
        Arguments.of(ZoneState.NORMAL, 500, 0.1),
        Arguments.of(ZoneState.PARTIAL_DISRUPTION, 10, 0.0),
        Arguments.of(ZoneState.PARTIAL_DISRUPTION, 50, 0.0),
        Arguments.of(ZoneState.PARTIAL_DISRUPTION, 51, 0.01),
        Arguments.of(ZoneState.FULL_DISRUPTION, 10, 0.1),
        Arguments.of(ZoneState.FULL_DISRUPTION, 500, 0.1));
  }

  @ParameterizedTest(name = "{0} with {1} nodes: {2}/s")
  @MethodSource("rates")
  void setsTheTaintRateOfAZoneByItsStateAndSize(ZoneState state, int size, double rate) {
    assertThat(disruption.evictionRate(state, size)).isEqualTo(rate);
  }

  static Stream<Arguments> passes() {
    return Stream.of(
        Arguments.of("all healthy", Map.of("a", zone(5, 0), "b", zone(5, 0)), 0.1, 0.1, false),
        Arguments.of("one node down", Map.of("a", zone(4, 1), "b", zone(5, 0)), 0.1, 0.1, false),
        Arguments.of(
            "a small zone mostly down", Map.of("a", zone(1, 4), "b", zone(5, 0)), 0.0, 0.1, false),
        Arguments.of(
            "a large zone mostly down",
            Map.of("a", zone(10, 50), "b", zone(5, 0)),
            0.01,
            0.1,
            false),
        Arguments.of(
            "one zone entirely down, another up",
            Map.of("a", zone(0, 5), "b", zone(5, 0)),
            0.1,
            0.1,
            false),
        Arguments.of(
            "every zone entirely down", Map.of("a", zone(0, 5), "b", zone(0, 5)), 0.0, 0.0, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("passes")
  void limitsTaintingPerZone(
      String what, Map<String, List<Boolean>> zones, double rateA, double rateB, boolean allFull) {
    disruption.update(zones, T0);

    assertThat(disruption.rate("a")).isEqualTo(rateA);
    assertThat(disruption.rate("b")).isEqualTo(rateB);
    assertThat(disruption.allFullyDisrupted()).isEqualTo(allFull);
    assertThat(disruption.tryTaint("a", T0) != null).isEqualTo(rateA > 0);
  }

  @Test
  void taintsOneNodePerTenSecondsInAHealthyZone() {
    disruption.update(Map.of("a", zone(8, 2)), T0);

    assertThat(disruption.tryTaint("a", T0)).isEqualTo(Duration.ZERO);
    assertThat(disruption.tryTaint("a", T0.plusSeconds(1))).isEqualTo(Duration.ofSeconds(9));
    assertThat(disruption.tryTaint("a", T0.plusSeconds(10))).isEqualTo(Duration.ZERO);
  }

  @Test
  void stopsEverythingWhenEveryZoneIsDownAndResumesWhenANodeIsBack() {
    assertThat(disruption.update(Map.of("a", zone(5, 0), "b", zone(5, 0)), T0))
        .isEqualTo(ZoneDisruption.Transition.NONE);

    assertThat(disruption.update(Map.of("a", zone(0, 5), "b", zone(0, 5)), T0))
        .isEqualTo(ZoneDisruption.Transition.ENTERED_FULL_DISRUPTION);
    assertThat(disruption.update(Map.of("a", zone(0, 5), "b", zone(0, 5)), T0))
        .isEqualTo(ZoneDisruption.Transition.NONE);
    assertThat(disruption.tryTaint("a", T0.plusSeconds(60))).isNull();
    assertThat(disruption.state("a")).isEqualTo(ZoneState.FULL_DISRUPTION);

    assertThat(disruption.update(Map.of("a", zone(1, 4), "b", zone(0, 5)), T0.plusSeconds(60)))
        .isEqualTo(ZoneDisruption.Transition.EXITED_FULL_DISRUPTION);
    assertThat(disruption.state("a")).isEqualTo(ZoneState.PARTIAL_DISRUPTION);
    assertThat(disruption.state("b")).isEqualTo(ZoneState.FULL_DISRUPTION);
    assertThat(disruption.rate("a")).isZero();
    assertThat(disruption.rate("b")).isEqualTo(0.1);
    // As upstream's SwapLimiter: the stopped limiter had no token, so the new one starts without.
    assertThat(disruption.tryTaint("b", T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(10));
    assertThat(disruption.tryTaint("b", T0.plusSeconds(70))).isEqualTo(Duration.ZERO);
  }

  @Test
  void aZoneIsTheRegionAndZoneLabelsOfItsNodes() {
    Node labelled =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .addToLabels("topology.kubernetes.io/region", "eu")
            .addToLabels("topology.kubernetes.io/zone", "eu-1a")
            .endMetadata()
            .build();
    Node beta =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .addToLabels("failure-domain.beta.kubernetes.io/region", "eu")
            .addToLabels("failure-domain.beta.kubernetes.io/zone", "eu-1a")
            .endMetadata()
            .build();
    Node bare = new NodeBuilder().withNewMetadata().withName("n").endMetadata().build();

    assertThat(ZoneDisruption.zoneKey(labelled)).isEqualTo(ZoneDisruption.zoneKey(beta));
    assertThat(ZoneDisruption.zoneKey(labelled)).isNotEqualTo(ZoneDisruption.zoneKey(bare));
    assertThat(ZoneDisruption.zoneKey(bare)).isEmpty();
  }
}
