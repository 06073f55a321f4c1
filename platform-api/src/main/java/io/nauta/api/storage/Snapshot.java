package io.nauta.api.storage;

import java.util.List;

/** Every object of a type at exactly one resourceVersion. */
public record Snapshot(long resourceVersion, List<StoredObject> objects) {}
