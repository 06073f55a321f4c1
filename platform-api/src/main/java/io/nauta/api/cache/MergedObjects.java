package io.nauta.api.cache;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/**
 * The objects of a list as of an older version, in key order: the current objects, with those
 * changed since replaced by their older state ({@code then}; a null value means the object did not
 * exist then).
 */
final class MergedObjects implements Iterator<CachedObject> {

  private final Iterator<Map.Entry<String, CachedObject>> current;
  private final Iterator<Map.Entry<String, CachedObject>> then;
  private Map.Entry<String, CachedObject> nextCurrent;
  private Map.Entry<String, CachedObject> nextThen;
  private CachedObject next;

  MergedObjects(
      NavigableMap<String, CachedObject> current, NavigableMap<String, CachedObject> then) {
    this.current = current.entrySet().iterator();
    this.then = then.entrySet().iterator();
    this.nextCurrent = advance(this.current);
    this.nextThen = advance(this.then);
    this.next = find();
  }

  private static Map.Entry<String, CachedObject> advance(
      Iterator<Map.Entry<String, CachedObject>> it) {
    return it.hasNext() ? it.next() : null;
  }

  private CachedObject find() {
    while (nextCurrent != null || nextThen != null) {
      int order =
          nextCurrent == null
              ? 1
              : nextThen == null ? -1 : nextCurrent.getKey().compareTo(nextThen.getKey());
      CachedObject candidate;
      if (order < 0) {
        candidate = nextCurrent.getValue();
        nextCurrent = advance(current);
      } else {
        if (order == 0) {
          nextCurrent = advance(current);
        }
        candidate = nextThen.getValue();
        nextThen = advance(then);
      }
      if (candidate != null) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public CachedObject next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    CachedObject out = next;
    next = find();
    return out;
  }
}
