package io.nauta.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.RandomChoices;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Counting keys by rank agrees with walking a sorted set, across many block splits. */
class KeyCounterTest {

  @Test
  void ranksAgreeWithASortedSetUnderRandomInsertsAndRemovals() {
    for (long seed = 1; seed <= 5; seed++) {
      RandomChoices random = new RandomChoices(seed);
      KeyCounter counter = new KeyCounter();
      TreeSet<String> expected = new TreeSet<>();
      for (int step = 0; step < 20_000; step++) {
        String key = "ns" + random.between(0, 3) + '\0' + "o" + random.between(0, 5_000);
        if (random.between(0, 3) == 0) {
          counter.remove(key);
          expected.remove(key);
        } else {
          counter.add(key);
          expected.add(key);
        }
        if (step % 97 == 0) {
          String probe = "ns" + random.between(0, 3) + '\0' + "o" + random.between(0, 5_000);
          assertThat(counter.rank(probe, false))
              .as("seed %d step %d", seed, step)
              .isEqualTo(expected.headSet(probe, false).size());
          assertThat(counter.rank(probe, true)).isEqualTo(expected.headSet(probe, true).size());
        }
      }
      assertThat(counter.size()).isEqualTo(expected.size());
    }
  }
}
