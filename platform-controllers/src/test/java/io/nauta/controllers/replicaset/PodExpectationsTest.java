package io.nauta.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.controller.Expectations;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodExpectationsTest {

  private final PodExpectations expectations = new PodExpectations(new Expectations());

  @Test
  void aPodSeenTwiceOnItsWayOutCountsAsOneDeletion() {
    expectations.expectDeletions("ns/rs", List.of("ns/a", "ns/b"));

    expectations.deletionObserved("ns/rs", "ns/a");
    expectations.deletionObserved("ns/rs", "ns/a");

    assertThat(expectations.satisfied("ns/rs")).isFalse();
    expectations.deletionObserved("ns/rs", "ns/b");
    assertThat(expectations.satisfied("ns/rs")).isTrue();
  }

  @Test
  void creationsAreCounted() {
    expectations.expectCreations("ns/rs", 2);
    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs")).isFalse();
    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs")).isTrue();
  }
}
