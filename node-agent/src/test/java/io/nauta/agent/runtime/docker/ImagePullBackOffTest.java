package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ImagePullBackOffTest {

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void backsOffTenSecondsDoublingToFiveMinutesAndForgetsOnSuccess() {
    MutableClock clock = new MutableClock();
    ImagePullBackOff backOff = new ImagePullBackOff(clock);
    String key = "uid_img";

    assertThat(backOff.remaining(key)).isZero();
    assertThat(backOff.failed(key)).isEqualTo(Duration.ofSeconds(10));
    clock.now = clock.now.plusSeconds(4);
    assertThat(backOff.remaining(key)).isEqualTo(Duration.ofSeconds(6));
    clock.now = clock.now.plusSeconds(6);
    assertThat(backOff.remaining(key)).isZero();

    long[] expected = {20, 40, 80, 160, 300, 300};
    for (long seconds : expected) {
      assertThat(backOff.failed(key)).isEqualTo(Duration.ofSeconds(seconds));
    }
    backOff.succeeded(key);
    assertThat(backOff.remaining(key)).isZero();
    assertThat(backOff.failed(key)).isEqualTo(Duration.ofSeconds(10));

    backOff.forgetPod("uid");
    assertThat(backOff.remaining(key)).isZero();
  }
}
