package io.nauta.api.cache;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One line of a watch stream: {@code {"type":…,"object":…}}. The cache makes one per write and
 * event type and hands that same instance to every watcher that must see it, so the line is encoded
 * once per event (and once per other format a watch asks for, see {@link #rendered}), not once per
 * watcher. Immutable apart from those memos, which any thread may fill.
 */
public final class WatchEvent {

  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
  public static final String BOOKMARK = "BOOKMARK";
  public static final String ERROR = "ERROR";

  private final String type;
  private final String objectJson;
  // Racy memos: two threads may both compute them, and compute the same value.
  private volatile String line;
  private volatile byte[] lineBytes;
  private volatile ConcurrentHashMap<Object, WatchEvent> renderings;

  /**
   * @param objectJson the object's JSON as stored, inserted verbatim
   */
  public WatchEvent(String type, String objectJson) {
    this.type = type;
    this.objectJson = objectJson;
  }

  public String type() {
    return type;
  }

  public String objectJson() {
    return objectJson;
  }

  /** The event as one compact JSON line, newline included. */
  public String toLine() {
    String l = line;
    if (l == null) {
      l = makeLine();
      line = l;
    }
    return l;
  }

  private String makeLine() {
    return "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}\n";
  }

  /** {@link #toLine()} in UTF-8; shared by every watcher: never modify it. */
  public byte[] lineBytes() {
    byte[] b = lineBytes;
    if (b == null) {
      // Not through toLine(): the String would be kept beside the bytes for nothing.
      String l = line;
      b = (l != null ? l : makeLine()).getBytes(StandardCharsets.UTF_8);
      lineBytes = b;
    }
    return b;
  }

  /**
   * This event in another format ({@code format} names it, e.g. a Table with its options), made by
   * {@code render} for the first watcher that asks and reused for the others.
   */
  public WatchEvent rendered(Object format, Function<WatchEvent, WatchEvent> render) {
    ConcurrentHashMap<Object, WatchEvent> r = renderings;
    if (r == null) {
      synchronized (this) {
        r = renderings;
        if (r == null) {
          r = new ConcurrentHashMap<>(2);
          renderings = r;
        }
      }
    }
    return r.computeIfAbsent(format, f -> render.apply(this));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatchEvent e && type.equals(e.type) && objectJson.equals(e.objectJson);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, objectJson);
  }

  @Override
  public String toString() {
    return "WatchEvent[type=" + type + ", objectJson=" + objectJson + "]";
  }
}
