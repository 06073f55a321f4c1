package io.nauta.api.cache;

/**
 * One line of a watch stream: {@code {"type":…,"object":…}}.
 *
 * @param objectJson the object's JSON as stored, inserted verbatim
 */
public record WatchEvent(String type, String objectJson) {

  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
  public static final String BOOKMARK = "BOOKMARK";
  public static final String ERROR = "ERROR";

  /** The event as one compact JSON line, newline included. */
  public String toLine() {
    return "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}\n";
  }
}
