package io.nauta.core.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of Job completion indexes in Kubernetes' text form ({@code status.completedIndexes}, a
 * success policy's {@code succeededIndexes}): increasing intervals such as {@code 1,3-5,7}.
 */
public final class IndexIntervals {

  private final SortedSet<Integer> indexes;

  private IndexIntervals(SortedSet<Integer> indexes) {
    this.indexes = indexes;
  }

  /**
   * Reads {@code text} as Kubernetes' {@code validateIndexesFormat} does: intervals in increasing
   * order, every index below {@code completions}.
   *
   * @throws IllegalArgumentException with upstream's message when the text is malformed
   */
  public static IndexIntervals parse(String text, int completions) {
    SortedSet<Integer> out = new TreeSet<>();
    if (text == null || text.isEmpty()) {
      return new IndexIntervals(out);
    }
    Integer last = null;
    for (String interval : text.split(",", -1)) {
      String[] limits = interval.split("-", -1);
      if (limits.length > 2) {
        throw new IllegalArgumentException(
            "the fragment \""
                + interval
                + "\" violates the requirement that an index interval can have at most two parts"
                + " separated by '-'");
      }
      int x = index(limits[0], completions);
      if (last != null && last >= x) {
        throw new IllegalArgumentException(
            "non-increasing order, previous: " + last + ", current: " + x);
      }
      last = x;
      int y = x;
      if (limits.length > 1) {
        y = index(limits[1], completions);
        if (last >= y) {
          throw new IllegalArgumentException(
              "non-increasing order, previous: " + last + ", current: " + y);
        }
        last = y;
      }
      for (int i = x; i <= y; i++) {
        out.add(i);
      }
    }
    return new IndexIntervals(out);
  }

  /** Reads what the controller itself wrote, ignoring what does not parse. */
  public static IndexIntervals lenient(String text, int completions) {
    try {
      return parse(text, completions);
    } catch (IllegalArgumentException e) {
      return new IndexIntervals(new TreeSet<>());
    }
  }

  public static IndexIntervals of(SortedSet<Integer> indexes) {
    return new IndexIntervals(new TreeSet<>(indexes));
  }

  private static int index(String s, int completions) {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cannot convert string to integer for index: \"" + s + "\"");
    }
    if (v >= completions) {
      throw new IllegalArgumentException("too large index: \"" + s + "\"");
    }
    return v;
  }

  public int count() {
    return indexes.size();
  }

  public boolean contains(int index) {
    return indexes.contains(index);
  }

  public SortedSet<Integer> indexes() {
    return new TreeSet<>(indexes);
  }

  /**
   * {@code 1,3-5,7}: runs of three or more become intervals, a pair stays {@code 1,2}, as the Job
   * controller writes them.
   */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int i : indexes) {
      if (prev != null && i == prev + 1) {
        prev = i;
        continue;
      }
      if (start != null) {
        parts.add(interval(start, prev));
      }
      start = i;
      prev = i;
    }
    if (start != null) {
      parts.add(interval(start, prev));
    }
    return String.join(",", parts);
  }

  private static String interval(int first, int last) {
    if (first == last) {
      return String.valueOf(first);
    }
    return first + (last == first + 1 ? "," : "-") + last;
  }
}
