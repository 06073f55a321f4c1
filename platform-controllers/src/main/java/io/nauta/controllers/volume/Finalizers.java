package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Upstream's protectionutil: when a protection finalizer must be added or may be removed. */
final class Finalizers {

  static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  private Finalizers() {}

  static boolean has(HasMetadata o, String finalizer) {
    List<String> f = o.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }

  /** Being deleted and still held by {@code finalizer}. */
  static boolean isDeletionCandidate(HasMetadata o, String finalizer) {
    return o.getMetadata().getDeletionTimestamp() != null && has(o, finalizer);
  }

  /** Not being deleted and without {@code finalizer}. */
  static boolean needToAdd(HasMetadata o, String finalizer) {
    return o.getMetadata().getDeletionTimestamp() == null && !has(o, finalizer);
  }

  static List<String> without(HasMetadata o, String finalizer) {
    List<String> f = new ArrayList<>(o.getMetadata().getFinalizers());
    f.removeIf(finalizer::equals);
    return f;
  }

  static List<String> with(HasMetadata o, String finalizer) {
    List<String> f =
        o.getMetadata().getFinalizers() == null
            ? new ArrayList<>()
            : new ArrayList<>(o.getMetadata().getFinalizers());
    f.add(finalizer);
    return f;
  }
}
