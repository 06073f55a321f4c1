package io.nauta.api.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShuffleShardingDealerTest {

  @Test
  void everyHandHoldsDistinctQueuesOfTheDeck() {
    Random random = new Random(6);
    for (int round = 0; round < 2000; round++) {
      int deck = 1 + random.nextInt(128);
      int hand = 1 + random.nextInt(Math.min(deck, 8));
      int[] dealt = new ShuffleShardingDealer(deck, hand).deal(random.nextLong());
      assertThat(dealt).hasSize(hand);
      assertThat(Arrays.stream(dealt).distinct().count()).isEqualTo(hand);
      assertThat(Arrays.stream(dealt).allMatch(c -> c >= 0 && c < deck)).isTrue();
    }
  }

  @Test
  void handsSpreadOverTheWholeDeck() {
    Random random = new Random(7);
    ShuffleShardingDealer dealer = new ShuffleShardingDealer(64, 6);
    int[] counts = new int[64];
    for (int i = 0; i < 64_000; i++) {
      for (int c : dealer.deal(random.nextLong())) {
        counts[c]++;
      }
    }
    // 6000 picks per queue on average: none is left out nor favoured by much.
    assertThat(Arrays.stream(counts).allMatch(n -> n > 5000 && n < 7000))
        .as(Arrays.toString(counts))
        .isTrue();
  }
}
