package io.nauta.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FencepostsTest {

  private static IntOrString value(String v) {
    return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
  }

  @ParameterizedTest(name = "surge {0}, unavailable {1} of {2} replicas -> {3}/{4}")
  @CsvSource({
    // surge, unavailable, replicas, resolved surge, resolved unavailable
    "25%, 25%, 10, 3, 2", // surge rounds up (2.5 -> 3), unavailable down (2.5 -> 2)
    "25%, 25%, 4, 1, 1",
    "25%, 25%, 2, 1, 0", // 0.5 -> 1 surge, 0 unavailable
    "25%, 25%, 1, 1, 0",
    "0, 0, 5, 0, 1", // both zero: one may be unavailable, or nothing could move
    "0%, 0%, 5, 0, 1",
    "1, 0, 3, 1, 0",
    "0, 1, 3, 0, 1",
    "50%, 0, 5, 3, 0",
    "0, 50%, 5, 0, 2",
    "100%, 100%, 3, 3, 3",
    "2, 3, 10, 2, 3", // absolute values are taken as they are
    "10%, 10%, 0, 0, 1"
  })
  void resolvesMaxSurgeAndMaxUnavailableLikeKubernetes(
      String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
    assertThat(Fenceposts.resolve(value(surge), value(unavailable), replicas))
        .isEqualTo(new Fenceposts(wantSurge, wantUnavailable));
  }

  @Test
  void maxUnavailableNeverExceedsReplicas() {
    Deployment d = FakeApi.deployment(2, "nginx");
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(5));
    assertThat(Fenceposts.maxUnavailable(d)).isEqualTo(2);
  }

  @Test
  void recreateHasNeitherSurgeNorUnavailability() {
    Deployment d = FakeApi.deployment(4, "nginx");
    d.getSpec().getStrategy().setType("Recreate");
    d.getSpec().getStrategy().setRollingUpdate(null);
    assertThat(Fenceposts.maxSurge(d)).isZero();
    assertThat(Fenceposts.maxUnavailable(d)).isZero();
  }

  @Test
  void aStringThatIsNotAPercentageIsRefused() {
    assertThatThrownBy(() -> Fenceposts.scaled(new IntOrString("three"), 10, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("three");
  }
}
