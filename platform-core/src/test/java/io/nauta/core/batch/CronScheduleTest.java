package io.nauta.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static Instant next(String spec, String after) {
    return CronSchedule.parse(spec).next(Instant.parse(after), ZoneOffset.UTC).orElseThrow();
  }

  @Test
  void everyMinuteIsTheNextWholeMinute() {
    assertThat(next("* * * * *", "2026-12-05T20:00:00Z")).isEqualTo("2026-12-05T20:01:00Z");
    assertThat(next("* * * * *", "2026-12-05T20:00:59.5Z")).isEqualTo("2026-12-05T20:01:00Z");
    assertThat(next("*/1 * * * *", "2026-12-05T20:00:30Z")).isEqualTo("2026-12-05T20:01:00Z");
  }

  @Test
  void rangesStepsListsAndNames() {
    assertThat(next("*/15 * * * *", "2026-12-05T20:16:00Z")).isEqualTo("2026-12-05T20:30:00Z");
    assertThat(next("5/20 * * * *", "2026-12-05T20:46:00Z")).isEqualTo("2026-12-05T21:05:00Z");
    assertThat(next("0 9-17/4 * * *", "2026-12-05T13:00:00Z")).isEqualTo("2026-12-05T17:00:00Z");
    assertThat(next("0,30 1 * * *", "2026-12-05T01:10:00Z")).isEqualTo("2026-12-05T01:30:00Z");
    // 2026-12-05 is a Saturday.
    assertThat(next("30 6 * * mon-fri", "2026-12-05T00:00:00Z")).isEqualTo("2026-12-07T06:30:00Z");
    assertThat(next("0 0 1 feb *", "2026-12-05T00:00:00Z")).isEqualTo("2027-02-01T00:00:00Z");
    assertThat(next("0 0 ? * SUN", "2026-12-05T00:00:00Z")).isEqualTo("2026-12-06T00:00:00Z");
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    // The 13th or a Friday: Friday 2026-12-11 comes before the 13th.
    assertThat(next("0 0 13 * 5", "2026-12-05T00:00:00Z")).isEqualTo("2026-12-11T00:00:00Z");
    // A starred day of week (even */1) leaves the day of month alone deciding.
    assertThat(next("0 0 13 * */1", "2026-12-05T00:00:00Z")).isEqualTo("2026-12-13T00:00:00Z");
  }

  @Test
  void descriptorsAndEvery() {
    assertThat(next("@hourly", "2026-12-05T20:00:00Z")).isEqualTo("2026-12-05T21:00:00Z");
    assertThat(next("@daily", "2026-12-05T20:00:00Z")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("@midnight", "2026-12-05T20:00:00Z")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("@weekly", "2026-12-05T20:00:00Z")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("@monthly", "2026-12-05T20:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@yearly", "2026-12-05T20:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@annually", "2026-12-05T20:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@every 1h30m", "2026-12-05T20:00:00.7Z")).isEqualTo("2026-12-05T21:30:00Z");
  }

  @Test
  void timeZonesFromThePrefixOrTheCaller() {
    assertThat(next("CRON_TZ=Asia/Tokyo 0 9 * * *", "2026-12-05T00:00:00Z"))
        .isEqualTo("2026-12-06T00:00:00Z");
    assertThat(
            CronSchedule.parse("0 9 * * *")
                .next(Instant.parse("2026-12-05T00:00:00Z"), ZoneId.of("Europe/Berlin"))
                .orElseThrow())
        .isEqualTo("2026-12-05T08:00:00Z");
    // Summer time in Berlin: 09:00 is 07:00 UTC.
    assertThat(
            CronSchedule.parse("0 9 * * *")
                .next(Instant.parse("2026-07-01T00:00:00Z"), ZoneId.of("Europe/Berlin"))
                .orElseThrow())
        .isEqualTo("2026-07-01T07:00:00Z");
  }

  @Test
  void impossibleDatesHaveNoNextTime() {
    assertThat(
            CronSchedule.parse("59 23 31 2 *")
                .next(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC))
        .isEmpty();
  }

  @Test
  void malformedSchedulesGiveRobfigsMessages() {
    assertThatThrownBy(() -> CronSchedule.parse("")).hasMessage("empty spec string");
    assertThatThrownBy(() -> CronSchedule.parse("* * * * * *"))
        .hasMessage("expected exactly 5 fields, found 6: [* * * * * *]");
    assertThatThrownBy(() -> CronSchedule.parse("60 * * * *"))
        .hasMessage("end of range (60) above maximum (59): 60");
    assertThatThrownBy(() -> CronSchedule.parse("* * 0 * *"))
        .hasMessage("beginning of range (0) below minimum (1): 0");
    assertThatThrownBy(() -> CronSchedule.parse("5-2 * * * *"))
        .hasMessage("beginning of range (5) beyond end of range (2): 5-2");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *"))
        .hasMessage("step of range should be a positive number: */0");
    assertThatThrownBy(() -> CronSchedule.parse("x * * * *"))
        .hasMessage("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
    assertThatThrownBy(() -> CronSchedule.parse("1-2-3 * * * *"))
        .hasMessage("too many hyphens: 1-2-3");
    assertThatThrownBy(() -> CronSchedule.parse("@fortnightly"))
        .hasMessage("unrecognized descriptor: @fortnightly");
    assertThatThrownBy(() -> CronSchedule.parse("TZ=Mars/Base * * * * *"))
        .hasMessage("provided bad location Mars/Base: unknown time zone Mars/Base");
    assertThatThrownBy(() -> CronSchedule.parse("* * * * 7"))
        .hasMessage("end of range (7) above maximum (6): 7");
  }
}
