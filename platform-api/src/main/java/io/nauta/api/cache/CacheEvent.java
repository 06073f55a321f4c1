package io.nauta.api.cache;

/**
 * A write as the cache applied it.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param object the object after the write (for DELETED its last state)
 * @param previous the object before the write, or null for ADDED; lets a watch with a selector turn
 *     a MODIFIED into ADDED or DELETED when the object enters or leaves the selection
 * @param previousKnown false for a MODIFIED or DELETED loaded from the stream at start-up whose
 *     previous state was written before the stream's history begins
 * @param seen the watch events this write becomes, shared by every watcher
 */
record CacheEvent(
    String type,
    long resourceVersion,
    CachedObject object,
    CachedObject previous,
    boolean previousKnown,
    long timestampMillis,
    SharedEvents seen) {

  CacheEvent(
      String type,
      long resourceVersion,
      CachedObject object,
      CachedObject previous,
      boolean previousKnown,
      long timestampMillis) {
    this(
        type,
        resourceVersion,
        object,
        previous,
        previousKnown,
        timestampMillis,
        new SharedEvents(object.json()));
  }

  /**
   * The one {@link WatchEvent} of each type for this write: a watcher sees the write as ADDED,
   * MODIFIED or DELETED depending on its selector, and every watcher that sees it as the same type
   * gets the same instance, whose line is then encoded once.
   */
  static final class SharedEvents {
    private final String json;
    private volatile WatchEvent added;
    private volatile WatchEvent modified;
    private volatile WatchEvent deleted;
    private volatile boolean released;

    SharedEvents(String json) {
      this.json = json;
    }

    /**
     * Forgets the shared events once the live watchers have them queued: the history keeps the
     * write for later watches, but not its encoded lines (they would double its memory). A watch
     * that replays it later gets an event of its own.
     */
    void release() {
      released = true;
      added = null;
      modified = null;
      deleted = null;
    }

    WatchEvent of(String type) {
      if (released) {
        return new WatchEvent(type, json);
      }
      return switch (type) {
        case WatchEvent.ADDED -> added != null ? added : (added = new WatchEvent(type, json));
        case WatchEvent.MODIFIED ->
            modified != null ? modified : (modified = new WatchEvent(type, json));
        default -> deleted != null ? deleted : (deleted = new WatchEvent(type, json));
      };
    }
  }
}
