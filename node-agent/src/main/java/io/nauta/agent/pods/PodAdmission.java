package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What the kubelet checks before it runs a pod (its admit handlers): a pod it rejects never runs
 * and fails with the handler's reason, as the kubelet's rejectPod writes it.
 */
public interface PodAdmission {

  /** Admits every pod. */
  PodAdmission ALL = pod -> null;

  /** Null to run the pod, else why not. */
  Rejection admit(Pod pod);

  /** The kubelet's reason (e.g. {@code SysctlForbidden}) and message for a rejected pod. */
  record Rejection(String reason, String message) {}
}
