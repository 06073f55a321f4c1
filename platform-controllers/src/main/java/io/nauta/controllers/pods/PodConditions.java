package io.nauta.controllers.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What controllers read from a pod's status (Kubernetes' podutil). */
public final class PodConditions {

  private PodConditions() {}

  /** Not Succeeded or Failed, and not being deleted (Kubernetes' IsPodActive). */
  public static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase)
        && !"Failed".equals(phase)
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  public static Optional<PodCondition> ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  public static boolean isReady(Pod pod) {
    return ready(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last turned Ready, or empty when it is not ready or the time is unknown. */
  public static Optional<Instant> readySince(Pod pod) {
    return ready(pod)
        .filter(c -> "True".equals(c.getStatus()))
        .flatMap(c -> parse(c.getLastTransitionTime()));
  }

  /**
   * Ready for at least {@code minReadySeconds} (Kubernetes' IsPodAvailable: a ready pod without a
   * transition time counts only when no minimum is asked for).
   */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    return readySince(pod).map(t -> t.plusSeconds(minReadySeconds).isBefore(now)).orElse(false);
  }

  /** How long until a ready pod becomes available; empty when it is not ready or already is. */
  public static Optional<Duration> untilAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (minReadySeconds <= 0 || isAvailable(pod, minReadySeconds, now)) {
      return Optional.empty();
    }
    return readySince(pod)
        .map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)).plusMillis(1))
        .filter(d -> !d.isNegative());
  }

  public static int restarts(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
        .max()
        .orElse(0);
  }

  public static Optional<Instant> parse(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
