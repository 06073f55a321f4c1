package io.nauta.api.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * When a type's resourceVersion counter had which value, as read by earlier trims: every event up
 * to a value read at a moment was written before that moment, so the counter alone tells which
 * events are older than a cutoff, without reading them.
 */
final class CounterSamples {

  /** Enough for the history window at the trimmer's period (5 min / 10 s), with room to spare. */
  private static final int MAX_SAMPLES = 1_000;

  private record Sample(long atMillis, long resourceVersion) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /**
   * Records that the counter was {@code resourceVersion} at {@code atMillis} (read before then); a
   * counter below earlier samples means Redis went back in time, and those samples are dropped.
   */
  synchronized void record(long atMillis, long resourceVersion) {
    while (!samples.isEmpty() && samples.peekLast().resourceVersion() > resourceVersion) {
      samples.pollLast();
    }
    samples.addLast(new Sample(atMillis, resourceVersion));
    while (samples.size() > MAX_SAMPLES) {
      samples.pollFirst();
    }
  }

  /**
   * The newest counter value read before {@code cutoffMillis}: every event up to it is older than
   * the cutoff. Strictly before: a value read within the cutoff's own millisecond may count writes
   * made after the cutoff in that millisecond. Earlier samples are dropped (cutoffs only move
   * forward).
   */
  synchronized OptionalLong writtenBefore(long cutoffMillis) {
    Sample found = null;
    while (!samples.isEmpty() && samples.peekFirst().atMillis() < cutoffMillis) {
      found = samples.pollFirst();
    }
    if (found == null) {
      return OptionalLong.empty();
    }
    // Kept: a later cutoff may still need it.
    samples.addFirst(found);
    return OptionalLong.of(found.resourceVersion());
  }
}
