package io.nauta.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuRateTest {

  private static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");

  @Test
  void isCpuTimeOverWallTimeInNanoCores() {
    // 2.5 s of CPU in 10 s of wall time: a quarter of a core.
    assertThat(CpuRate.nanoCores(T0, 1_000_000_000L, T0.plusSeconds(10), 3_500_000_000L))
        .isEqualTo(250_000_000L);
    // Two cores busy for 500 ms.
    assertThat(CpuRate.nanoCores(T0, 0, T0.plusMillis(500), 1_000_000_000L))
        .isEqualTo(2_000_000_000L);
  }

  @Test
  void isUnknownWithoutAnEarlierReadingElapsedTimeOrAMonotonicCounter() {
    assertThat(CpuRate.nanoCores(null, 0, T0, 5)).isNull();
    assertThat(CpuRate.nanoCores(T0, 0, T0, 5)).isNull();
    assertThat(CpuRate.nanoCores(T0, 10, T0.plusSeconds(1), 5)).isNull();
    assertThat(CpuRate.nanoCores(T0, 10, T0.plusSeconds(1), 10)).isZero();
  }

  @Test
  void hostFiguresComeFromProcStatAndMeminfo() {
    HostUsage.Reading r =
        HostUsage.of(
            List.of(
                "cpu  100 20 30 5000 40 5 6 7 0 0",
                "cpu0 50 10 15 2500 20 2 3 3 0 0",
                "btime 1700000000"),
            List.of(
                "MemTotal:       1000 kB",
                "MemFree:         300 kB",
                "MemAvailable:    600 kB",
                "AnonPages:       150 kB"));
    // user + nice + system + irq + softirq + steal = 168 ticks of 10 ms.
    assertThat(r.coreNanoSeconds()).isEqualTo(168 * 10_000_000L);
    assertThat(r.workingSetBytes()).isEqualTo(400 * 1024L);
    assertThat(r.usageBytes()).isEqualTo(700 * 1024L);
    assertThat(r.availableBytes()).isEqualTo(600 * 1024L);
    assertThat(r.rssBytes()).isEqualTo(150 * 1024L);
  }
}
