package io.nauta.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's duration text, read and written as {@code time.ParseDuration} and {@code String} do. */
class GoDurationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 0, 0s",
    "3s, 3000000000, 3s",
    "-1s, -1000000000, -1s",
    "1.5s, 1500000000, 1.5s",
    "90s, 90000000000, 1m30s",
    "1h, 3600000000000, 1h0m0s",
    "1h2m3.25s, 3723250000000, 1h2m3.25s",
    "500ms, 500000000, 500ms",
    "1500ns, 1500, 1.5\u00b5s",
    "2us, 2000, 2\u00b5s",
    "12ns, 12, 12ns"
  })
  void readsAndWritesAsGo(String text, long nanos, String written) {
    assertThat(GoDuration.parse(text)).isEqualTo(nanos);
    assertThat(GoDuration.format(nanos)).isEqualTo(written);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "3 | time: missing unit in duration \"3\"",
        "3x | time: unknown unit \"x\" in duration \"3x\"",
        "'' | time: invalid duration \"\"",
        "s | time: invalid duration \"s\""
      })
  void refusesWhatGoRefusesWithItsMessage(String text, String message) {
    assertThatThrownBy(() -> GoDuration.parse(text)).hasMessage(message);
  }
}
