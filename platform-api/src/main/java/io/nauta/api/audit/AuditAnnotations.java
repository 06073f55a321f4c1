package io.nauta.api.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import reactor.util.context.ContextView;

/**
 * Annotations admission adds to a request's audit event (Kubernetes' {@code
 * audit.AddAuditAnnotations}), such as Pod Security's {@code
 * pod-security.kubernetes.io/audit-violations}. The {@link AuditFilter} puts one per audited
 * request in the Reactor context; code deeper in the request adds to it and the event written at
 * the end carries what was added. Without auditing there is none and adding does nothing.
 */
public final class AuditAnnotations {

  private final Map<String, String> values = new LinkedHashMap<>();

  /**
   * Adds to the request's audit event, if the request is audited; the first value of a key wins.
   */
  public static void add(ContextView ctx, Map<String, String> annotations) {
    ctx.<AuditAnnotations>getOrEmpty(AuditAnnotations.class)
        .ifPresent(a -> annotations.forEach(a::put));
  }

  synchronized void put(String key, String value) {
    values.putIfAbsent(key, value);
  }

  synchronized Map<String, String> snapshot() {
    return new LinkedHashMap<>(values);
  }
}
