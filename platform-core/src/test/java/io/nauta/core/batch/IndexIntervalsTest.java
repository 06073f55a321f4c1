package io.nauta.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IndexIntervalsTest {

  @Test
  void writesRunsOfThreeAsIntervalsAndPairsAsTwoIndexes() {
    assertThat(IndexIntervals.of(new TreeSet<>(List.of(0, 1, 3, 4, 5, 7))).toString())
        .isEqualTo("0,1,3-5,7");
    assertThat(IndexIntervals.of(new TreeSet<>()).toString()).isEmpty();
  }

  @Test
  void readsWhatItWrites() {
    IndexIntervals parsed = IndexIntervals.parse("0,1,3-5,7", 8);
    assertThat(parsed.indexes()).containsExactly(0, 1, 3, 4, 5, 7);
    assertThat(parsed.count()).isEqualTo(6);
  }

  @Test
  void refusesWhatUpstreamRefuses() {
    assertThatThrownBy(() -> IndexIntervals.parse("1,0", 3))
        .hasMessage("non-increasing order, previous: 1, current: 0");
    assertThatThrownBy(() -> IndexIntervals.parse("0-3", 3)).hasMessage("too large index: \"3\"");
    assertThatThrownBy(() -> IndexIntervals.parse("a", 3))
        .hasMessage("cannot convert string to integer for index: \"a\"");
    assertThatThrownBy(() -> IndexIntervals.parse("0-1-2", 3))
        .hasMessageContaining("at most two parts");
  }
}
