package io.nauta.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InvalidException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogOptionsTest {

  private static Map<String, List<String>> query(String... pairs) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    for (String p : pairs) {
      String[] kv = p.split("=", 2);
      q.put(kv[0], Arrays.asList(kv[1]));
    }
    return q;
  }

  @Test
  void readsEveryOptionFromTheQuery() {
    LogOptions o =
        LogOptions.parse(
            query(
                "follow=true",
                "previous=1",
                "timestamps=true",
                "tailLines=2",
                "sinceTime=2026-01-02T03:04:05.678+01:00",
                "limitBytes=100"),
            "web");
    assertThat(o)
        .isEqualTo(
            new LogOptions(
                true, true, true, 2L, null, Instant.parse("2026-01-02T02:04:05Z"), 100L));
  }

  @Test
  void absentOptionsMeanEveryLineOnce() {
    assertThat(LogOptions.parse(Map.of(), "web")).isEqualTo(LogOptions.defaults());
    assertThat(LogOptions.parse(query("follow=false", "previous=0", "tailLines="), "web"))
        .isEqualTo(LogOptions.defaults());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tailLines=-1|PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be"
            + " greater than or equal to 0",
        "limitBytes=0|PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be"
            + " greater than 0",
        "sinceSeconds=0|PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be"
            + " greater than 0",
      })
  void refusesValuesOutOfRangeAsKubernetesDoes(String param, String message) {
    assertThatThrownBy(() -> LogOptions.parse(query(param), "web"))
        .isInstanceOf(InvalidException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(422));
  }

  @Test
  void refusesSinceTimeTogetherWithSinceSeconds() {
    assertThatThrownBy(
            () ->
                LogOptions.parse(query("sinceSeconds=10", "sinceTime=2026-01-02T03:04:05Z"), "web"))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining("at most one of `sinceTime` or `sinceSeconds` may be specified");
  }

  @ParameterizedTest
  @CsvSource({"tailLines=ten", "limitBytes=1.5", "sinceTime=yesterday"})
  void refusesValuesThatDoNotParseWithABadRequest(String param) {
    assertThatThrownBy(() -> LogOptions.parse(query(param), "web"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(param.substring(0, param.indexOf('=')));
  }

  @Test
  void sinceCountsBackFromNowOrTakesTheTimeGiven() {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    assertThat(LogOptions.parse(query("sinceSeconds=5"), "web").since(now))
        .isEqualTo(Instant.parse("2026-01-02T03:04:00Z"));
    assertThat(LogOptions.parse(query("sinceTime=2026-01-01T00:00:00Z"), "web").since(now))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(LogOptions.defaults().since(now)).isNull();
  }

  @Test
  void writesTheKubeletsQueryBackSoItParsesToTheSameOptions() {
    LogOptions o =
        new LogOptions(true, false, true, 3L, null, Instant.parse("2026-01-02T03:04:05Z"), 9L);
    assertThat(o.toQuery())
        .isEqualTo(
            "follow=true&timestamps=true&sinceTime=2026-01-02T03%3A04%3A05Z&tailLines=3&limitBytes=9");
    Map<String, List<String>> back = new LinkedHashMap<>();
    for (String p : o.toQuery().split("&")) {
      String[] kv = p.split("=", 2);
      back.put(
          kv[0],
          List.of(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)));
    }
    assertThat(LogOptions.parse(back, "web")).isEqualTo(o);
    assertThat(LogOptions.defaults().toQuery()).isEmpty();
  }
}
