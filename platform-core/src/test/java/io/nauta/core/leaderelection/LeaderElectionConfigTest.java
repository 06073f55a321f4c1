package io.nauta.core.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeaderElectionConfigTest {

  @Test
  void defaultsToClientGosTimings() {
    LeaderElectionConfig c = LeaderElectionConfig.of("kube-system", "scheduler", "host-1");

    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.describeLease()).isEqualTo("kube-system/scheduler");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("ns", "lease", "", 15_000, 10_000, 2_000, "identity is required"),
        Arguments.of("", "lease", "me", 15_000, 10_000, 2_000, "leaseNamespace is required"),
        Arguments.of("ns", " ", "me", 15_000, 10_000, 2_000, "leaseName is required"),
        Arguments.of("ns", "lease", "me", 10_000, 10_000, 2_000, "greater than renewDeadline"),
        Arguments.of("ns", "lease", "me", 3_000, 4_000, 500, "greater than renewDeadline"),
        Arguments.of("ns", "lease", "me", 15_000, 2_400, 2_000, "greater than retryPeriod*1.2"),
        Arguments.of("ns", "lease", "me", 1_500, 1_000, 200, "whole number of seconds"),
        Arguments.of("ns", "lease", "me", 0, 1_000, 200, "whole number of seconds"),
        Arguments.of("ns", "lease", "me", 15_000, 0, 2_000, "renewDeadline must be greater"),
        Arguments.of("ns", "lease", "me", 15_000, 10_000, 0, "retryPeriod must be greater"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsTimingsThatCouldLetTwoLeadersActAtOnce(
      String ns, String name, String id, long lease, long renew, long retry, String message) {
    assertThatThrownBy(
            () ->
                new LeaderElectionConfig(
                    ns,
                    name,
                    id,
                    Duration.ofMillis(lease),
                    Duration.ofMillis(renew),
                    Duration.ofMillis(retry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void acceptsShortTimingsThatKeepTheOrder() {
    LeaderElectionConfig c =
        LeaderElectionConfig.of("ns", "lease", "me")
            .withTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));

    assertThat(c.leaseDurationSeconds()).isEqualTo(3);
  }
}
