package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;

/** What a pod's volumes say about the claims it uses. */
final class PodVolumes {

  private PodVolumes() {}

  /** The names of the claims the pod's {@code spec.volumes} reference. */
  static List<String> claimNames(Pod pod) {
    List<String> names = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return names;
    }
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName() != null) {
        names.add(v.getPersistentVolumeClaim().getClaimName());
      }
    }
    return names;
  }

  static boolean usesClaim(Pod pod, String claimName) {
    return claimNames(pod).contains(claimName);
  }

  /**
   * Upstream's {@code IsPodTerminated}: Failed or Succeeded, or being deleted with no container
   * running any more.
   */
  static boolean isTerminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      return true;
    }
    return pod.getMetadata().getDeletionTimestamp() != null && notRunning(pod);
  }

  private static boolean notRunning(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return true;
    }
    for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
      if (s.getState() == null
          || (s.getState().getTerminated() == null && s.getState().getWaiting() == null)) {
        return false;
      }
    }
    return true;
  }
}
