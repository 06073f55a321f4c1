package io.nauta.api.flowcontrol;

/**
 * Kubernetes' {@code shufflesharding.Dealer}: deals a hand of {@code handSize} distinct queues out
 * of {@code deckSize} from one hash value, so that two flows share all their queues only rarely
 * (one heavy flow fills its own hand, and a light flow almost always has a queue outside it).
 */
final class ShuffleShardingDealer {

  private final int deckSize;
  private final int handSize;

  ShuffleShardingDealer(int deckSize, int handSize) {
    if (deckSize <= 0 || handSize <= 0 || handSize > deckSize) {
      throw new IllegalArgumentException(
          "bad shuffle sharding: deck " + deckSize + ", hand " + handSize);
    }
    this.deckSize = deckSize;
    this.handSize = handSize;
  }

  /** The hand for {@code hashValue}: {@code handSize} distinct queue indices below deckSize. */
  int[] deal(long hashValue) {
    int[] remainders = new int[handSize];
    for (int i = 0; i < handSize; i++) {
      long next = Long.divideUnsigned(hashValue, deckSize - i);
      remainders[i] = (int) (hashValue - (deckSize - i) * next);
      hashValue = next;
    }
    int[] hand = new int[handSize];
    for (int i = 0; i < handSize; i++) {
      int card = remainders[i];
      // Skip the cards already dealt, as taking them out of the deck would.
      for (int j = i; j > 0; j--) {
        if (card >= remainders[j - 1]) {
          card++;
        }
      }
      hand[i] = card;
    }
    return hand;
  }
}
