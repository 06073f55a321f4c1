package io.nauta.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.JsonNodeFactory;

class HumanDurationTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @ParameterizedTest(name = "{0} ms is {1}")
  @CsvSource({
    // a little in the future still counts as now; more is invalid
    "-2500, <invalid>",
    "-2000, <invalid>",
    "-1999, 0s",
    "-1000, 0s",
    "-1, 0s",
    "0, 0s",
    "999, 0s",
    "5000, 5s",
    // seconds up to two minutes
    "119999, 119s",
    "120000, 2m",
    "121000, 2m1s",
    "200000, 3m20s",
    "599999, 9m59s",
    // whole minutes from ten minutes to three hours
    "600000, 10m",
    "659000, 10m",
    "10799000, 179m",
    // hours and minutes below eight hours
    "10800000, 3h",
    "10860000, 3h1m",
    "28740000, 7h59m",
    // whole hours below two days
    "28800000, 8h",
    "172799000, 47h",
    // days and hours below eight days
    "172800000, 2d",
    "183600000, 2d3h",
    "691199000, 7d23h",
    // whole days below two years
    "691200000, 8d",
    "3888000000, 45d",
    "63071999000, 729d",
    // years and days below eight years
    "63072000000, 2y",
    "63158400000, 2y1d",
    "252201600000, 7y364d",
    // whole years
    "252288000000, 8y",
    "345600000000, 10y",
  })
  void formatsDurationsAsKubernetesHumanDuration(long millis, String expected) {
    assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} at now is {1}")
  @CsvSource({
    "2025-06-01T11:56:40Z, 3m20s",
    "2025-06-01T11:56:40.123456Z, 3m19s",
    "2025-06-01T13:56:40+02:00, 3m20s",
    "2025-05-30T09:00:00Z, 2d3h",
  })
  void measuresTimestampsToNow(String timestamp, String expected) {
    assertThat(HumanDuration.since(JsonNodeFactory.instance.stringNode(timestamp), NOW))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" is unknown")
  @CsvSource({"''", "not-a-time", "0001-01-01T00:00:00Z"})
  void reportsUnsetOrUnreadableTimestampsAsUnknown(String timestamp) {
    assertThat(HumanDuration.since(JsonNodeFactory.instance.stringNode(timestamp), NOW))
        .isEqualTo("<unknown>");
  }

  @org.junit.jupiter.api.Test
  void reportsAMissingTimestampAsUnknown() {
    assertThat(HumanDuration.since(null, NOW)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since(JsonNodeFactory.instance.nullNode(), NOW))
        .isEqualTo("<unknown>");
  }
}
