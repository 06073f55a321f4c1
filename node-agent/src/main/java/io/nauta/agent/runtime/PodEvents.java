package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where a runtime reports what happened to a pod's containers, as the kubelet records Events
 * ({@code Pulled}, {@code Created}, {@code Started}, {@code Killing}, {@code Unhealthy}, {@code
 * BackOff}, …). Parts of the runtime that only know a container by its labels name the pod by
 * {@link PodRef}. Reporting never fails the caller and never blocks it.
 */
public interface PodEvents {

  /** Reports nothing: for runtimes driven without an API server (unit tests, benchmarks). */
  PodEvents NONE = (pod, type, reason, message) -> {};

  void record(PodRef pod, String type, String reason, String message);

  default void normal(PodRef pod, String reason, String message) {
    record(pod, "Normal", reason, message);
  }

  default void warning(PodRef pod, String reason, String message) {
    record(pod, "Warning", reason, message);
  }

  /** The pod an event is about. */
  record PodRef(String namespace, String name, String uid) {

    public static PodRef of(Pod pod) {
      return new PodRef(
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          pod.getMetadata().getUid());
    }
  }
}
