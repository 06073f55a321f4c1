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
 */
record CacheEvent(
    String type,
    long resourceVersion,
    CachedObject object,
    CachedObject previous,
    boolean previousKnown,
    long timestampMillis) {}
