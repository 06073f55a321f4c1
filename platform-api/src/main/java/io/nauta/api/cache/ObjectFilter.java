package io.nauta.api.cache;

import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;

/** What a list or watch selects: a namespace (null for all), a label and a field selector. */
public record ObjectFilter(String namespace, LabelSelector labels, FieldSelector fields) {

  public static ObjectFilter all() {
    return new ObjectFilter(null, LabelSelector.everything(), FieldSelector.everything());
  }

  public boolean matches(CachedObject o) {
    return (namespace == null || namespace.equals(o.namespace()))
        && labels.matches(o.labels())
        && (fields.isEmpty() || fields.matches(o.node()));
  }

  /**
   * Whether the filter looks at an object's labels or fields, which an update may change (the
   * namespace cannot change).
   */
  public boolean selectsByContent() {
    return !labels.isEmpty() || !fields.isEmpty();
  }
}
