package io.nauta.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTimeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "2024-01-01T10:00:00.123+02:00 | 2024-01-01T08:00:00Z",
        "2024-01-01T08:00:00Z          | 2024-01-01T08:00:00Z",
        "2024-01-01T08:00:00.999999999Z | 2024-01-01T08:00:00Z",
        "2024-01-01T10:00:00,5-01:30   | 2024-01-01T11:30:00Z",
        "2023-12-31T23:30:00-00:45     | 2024-01-01T00:15:00Z",
        "2024-02-29T23:00:00-24:00     | 2024-03-01T23:00:00Z",
        "2024-01-01T8:00:00Z           | 2024-01-01T08:00:00Z",
        "0001-01-01T00:00:00Z          | NULL",
        "0001-01-01T02:00:00+02:00     | NULL",
      })
  void timeIsUtcInWholeSecondsAsGoWritesIt(String sent, String stored) throws Exception {
    assertThat(GoTime.time(sent)).isEqualTo(stored);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "2024-01-01T10:00:00.123+02:00     | 2024-01-01T08:00:00.123000Z",
        "2026-12-06T13:58:16.100169+00:00  | 2026-12-06T13:58:16.100169Z",
        "2026-12-06T15:58:16+02:00         | 2026-12-06T13:58:16.000000Z",
        "2026-12-06T13:58:16.123456789123Z | 2026-12-06T13:58:16.123456Z",
        "2026-12-06T13:58:16.123456Z       | 2026-12-06T13:58:16.123456Z",
        "0001-01-01T00:00:00.000000Z       | NULL",
      })
  void microTimeIsUtcWithSixDigits(String sent, String stored) throws Exception {
    assertThat(GoTime.microTime(sent)).isEqualTo(stored);
  }

  /** Go's {@code time.ParseError} messages, which Kubernetes passes on in its 400. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "x | parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"x\" as \"2006\"",
        "'' | parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\"",
        "2024-01-01 | parsing time \"2024-01-01\" as \"2006-01-02T15:04:05Z07:00\":"
            + " cannot parse \"\" as \"T\"",
        "2024-01-01 10:00:00Z | parsing time \"2024-01-01 10:00:00Z\" as"
            + " \"2006-01-02T15:04:05Z07:00\": cannot parse \" 10:00:00Z\" as \"T\"",
        "2024-01-01T10:00:00 | parsing time \"2024-01-01T10:00:00\" as"
            + " \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\"",
        "2024-01-01T10:00:00+0200 | parsing time \"2024-01-01T10:00:00+0200\" as"
            + " \"2006-01-02T15:04:05Z07:00\": cannot parse \"+0200\" as \"Z07:00\"",
        "2024-1-01T10:00:00Z | parsing time \"2024-1-01T10:00:00Z\" as"
            + " \"2006-01-02T15:04:05Z07:00\": cannot parse \"1-01T10:00:00Z\" as \"01\"",
        "2024-13-01T10:00:00Z | parsing time \"2024-13-01T10:00:00Z\": month out of range",
        "2023-02-29T10:00:00Z | parsing time \"2023-02-29T10:00:00Z\": day out of range",
        "2024-01-01T24:00:00Z | parsing time \"2024-01-01T24:00:00Z\": hour out of range",
        "2024-01-01T10:00:00+25:00 | parsing time \"2024-01-01T10:00:00+25:00\":"
            + " time zone offset hour out of range",
        "2024-01-01T10:00:00é | parsing time \"2024-01-01T10:00:00\\xc3\\xa9\" as"
            + " \"2006-01-02T15:04:05Z07:00\": cannot parse \"\\xc3\\xa9\" as \"Z07:00\"",
        "2024-01-01T10:00:00Z and more | parsing time \"2024-01-01T10:00:00Z and more\":"
            + " extra text: \" and more\"",
        "\"quoted\" | parsing time \"\\\"quoted\\\"\" as \"2006-01-02T15:04:05Z07:00\":"
            + " cannot parse \"\\\"quoted\\\"\" as \"2006\"",
      })
  void notATimeGetsGosMessage(String sent, String message) {
    assertThatThrownBy(() -> GoTime.time(sent))
        .isInstanceOf(GoTime.Unparsable.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yesterday | parsing time \"yesterday\" as \"2006-01-02T15:04:05.000000Z07:00\":"
            + " cannot parse \"yesterday\" as \"2006\"",
        "2024-01-01T10:00:00 | parsing time \"2024-01-01T10:00:00\" as"
            + " \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"\" as \".000000\"",
        "2024-01-01T10:00:00.123456Zx | parsing time \"2024-01-01T10:00:00.123456Zx\":"
            + " extra text: \"x\"",
      })
  void notAMicroTimeGetsGosMessageForItsLayout(String sent, String message) {
    assertThatThrownBy(() -> GoTime.microTime(sent))
        .isInstanceOf(GoTime.Unparsable.class)
        .hasMessage(message);
  }
}
