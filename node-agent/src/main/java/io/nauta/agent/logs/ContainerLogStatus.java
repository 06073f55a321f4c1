package io.nauta.agent.logs;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.util.stream.Stream;

/**
 * Whether a container has logs to read, decided as the kubelet's {@code validateContainerLogStatus}
 * does and with its messages (the API server passes them on as 400 BadRequest): a container that
 * never ran is waiting to start; {@code previous} needs a terminated earlier run.
 */
final class ContainerLogStatus {

  private ContainerLogStatus() {}

  /**
   * Null when the logs can be read, else why not.
   *
   * @param running what the runtime runs for the pod, null if nothing yet
   */
  static String refusal(Pod pod, RuntimePod running, String container, boolean previous) {
    String name = pod.getMetadata().getName();
    RuntimeContainer c =
        running == null
            ? null
            : Stream.concat(running.initContainers().stream(), running.containers().stream())
                .filter(r -> r.name().equals(container))
                .findFirst()
                .orElse(null);
    if (previous) {
      return c == null || c.lastTermination() == null
          ? "previous terminated container \"" + container + "\" in pod \"" + name + "\" not found"
          : null;
    }
    if (c == null) {
      return waiting(
          container, name, initializing(pod, container) ? "PodInitializing" : "ContainerCreating");
    }
    if (c.state() instanceof ContainerState.Running
        || c.state() instanceof ContainerState.Terminated
        || c.lastTermination() != null) {
      return null;
    }
    if (c.state() instanceof ContainerState.Waiting w) {
      return switch (w.reason() == null ? "" : w.reason()) {
        case "ErrImagePull" ->
            "container \""
                + container
                + "\" in pod \""
                + name
                + "\" is waiting to start: image"
                + " can't be pulled";
        case "ImagePullBackOff" ->
            "container \""
                + container
                + "\" in pod \""
                + name
                + "\" is waiting to start: trying and failing to pull image";
        default -> waiting(container, name, w.reason());
      };
    }
    return "container \""
        + container
        + "\" in pod \""
        + name
        + "\" is waiting to start - no logs yet";
  }

  private static String waiting(String container, String pod, String reason) {
    return "container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: " + reason;
  }

  /** An app container of a pod with init containers waits for them (the kubelet's reason). */
  private static boolean initializing(Pod pod, String container) {
    var spec = pod.getSpec();
    return spec.getInitContainers() != null
        && !spec.getInitContainers().isEmpty()
        && spec.getContainers().stream().anyMatch(c -> container.equals(c.getName()));
  }
}
