package io.nauta.api.storage;

/**
 * One entry of a type's event stream.
 *
 * @param type {@code ADDED}, {@code MODIFIED} or {@code DELETED}
 * @param resourceVersion the write's resourceVersion (the entry ID is {@code <rv>-0})
 * @param json the object after the write (for DELETED, its last state)
 * @param timestampMillis when the write happened
 */
public record StreamEvent(String type, long resourceVersion, String json, long timestampMillis) {}
