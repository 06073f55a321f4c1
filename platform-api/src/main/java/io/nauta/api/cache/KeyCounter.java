package io.nauta.api.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The sort keys of the cache's objects, kept so that counting the keys in a range costs a binary
 * search and a sum over blocks instead of a walk over the objects: a paged list tells how many
 * objects follow its page ({@code remainingItemCount}) without reading them. Keys live in sorted
 * blocks of at most {@link #MAX_BLOCK}; an insert or removal moves at most one block's worth of
 * references, a count adds up the sizes of the blocks before the key (N/512 of them) and searches
 * one. Guarded by the cache's lock.
 */
final class KeyCounter {

  static final int MAX_BLOCK = 512;

  private final List<List<String>> blocks = new ArrayList<>();
  private int size;

  int size() {
    return size;
  }

  void clear() {
    blocks.clear();
    size = 0;
  }

  void add(String key) {
    if (blocks.isEmpty()) {
      List<String> first = new ArrayList<>();
      first.add(key);
      blocks.add(first);
      size = 1;
      return;
    }
    int b = blockFor(key);
    List<String> block = blocks.get(b);
    int at = Collections.binarySearch(block, key);
    if (at >= 0) {
      return;
    }
    block.add(-at - 1, key);
    size++;
    if (block.size() > MAX_BLOCK) {
      List<String> upper = new ArrayList<>(block.subList(block.size() / 2, block.size()));
      block.subList(block.size() / 2, block.size()).clear();
      blocks.add(b + 1, upper);
    }
  }

  void remove(String key) {
    if (blocks.isEmpty()) {
      return;
    }
    int b = blockFor(key);
    List<String> block = blocks.get(b);
    int at = Collections.binarySearch(block, key);
    if (at < 0) {
      return;
    }
    block.remove(at);
    size--;
    if (block.isEmpty()) {
      blocks.remove(b);
    }
  }

  /** How many keys sort before {@code key} ({@code inclusive}: before or equal to it). */
  int rank(String key, boolean inclusive) {
    int before = 0;
    for (List<String> block : blocks) {
      String last = block.get(block.size() - 1);
      int c = last.compareTo(key);
      if (c < 0 || (c == 0 && inclusive)) {
        before += block.size();
        continue;
      }
      int at = Collections.binarySearch(block, key);
      if (at >= 0) {
        return before + (inclusive ? at + 1 : at);
      }
      return before + (-at - 1);
    }
    return before;
  }

  /** The block that holds {@code key} or where it goes: the first whose last key is not below. */
  private int blockFor(String key) {
    int lo = 0;
    int hi = blocks.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      List<String> block = blocks.get(mid);
      if (block.get(block.size() - 1).compareTo(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
