package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what runs for a pod back from Docker, by its labels: the sandbox's IP and each container's
 * newest run, with the run before it as {@code lastState}. Containers that could not be created
 * come from {@link UnstartedContainers}.
 */
final class RuntimePodReader {

  private final DockerContainers containers;
  private final NodeNetwork network;
  private final UnstartedContainers unstarted;
  private final ContainerProbing probing;

  RuntimePodReader(
      DockerContainers containers,
      NodeNetwork network,
      UnstartedContainers unstarted,
      ContainerProbing probing) {
    this.containers = containers;
    this.network = network;
    this.unstarted = unstarted;
    this.probing = probing;
  }

  /** What runs for a pod, or null if it has no sandbox. */
  RuntimePod read(String uid) {
    return read(uid, containers.ofPod(uid));
  }

  /** What runs for a pod, from a view of its containers just taken; null if it has no sandbox. */
  RuntimePod read(String uid, PodContainers pod) {
    if (pod == null || pod.sandbox() == null) {
      return null;
    }
    Map<Boolean, TreeMap<Integer, RuntimeContainer>> byKind =
        Map.of(true, new TreeMap<>(), false, new TreeMap<>());
    Map<String, PodContainer> latest = new HashMap<>();
    for (PodContainer c : pod.containers()) {
      PodContainer l = latest.get(c.name());
      if (l == null || l.restartCount() < c.restartCount()) {
        latest.put(c.name(), c);
      }
    }
    for (PodContainer c : latest.values()) {
      byKind.get(c.init()).put(c.index(), container(pod, c));
    }
    unstarted
        .of(uid)
        .forEach(
            (name, u) -> {
              if (!latest.containsKey(name)) {
                byKind
                    .get(u.init())
                    .put(
                        u.index(),
                        new RuntimeContainer(name, u.image(), "", null, u.waiting(), null, 0));
              }
            });
    InspectContainerResponse sandbox = pod.sandbox().inspect();
    Map<String, String> labels = sandbox.getConfig().getLabels();
    return new RuntimePod(
        uid,
        labels.get(DockerLabels.POD_NAMESPACE),
        labels.get(DockerLabels.POD_NAME),
        network.podIp(sandbox),
        PodContainer.time(sandbox.getCreated()),
        List.copyOf(byKind.get(true).values()),
        List.copyOf(byKind.get(false).values()));
  }

  private RuntimeContainer container(PodContainers pod, PodContainer c) {
    PodContainer previous = pod.previous(c);
    ContainerState.Terminated last = previous == null ? null : terminated(previous);
    ContainerState state;
    if (c.running()) {
      state = new ContainerState.Running(c.startedAt());
    } else if (c.exited()) {
      // Restarted at once the first time (no back-off yet): until then it shows as exited.
      if (RestartPolicy.restarts(pod.restartPolicy(), c) && !CrashLoopBackOff.backOff(c).isZero()) {
        state = crashLoopBackOff(c);
        last = terminated(c);
      } else {
        state = terminated(c);
      }
    } else if (c.inspect().getState().getError() != null
        && !c.inspect().getState().getError().isBlank()) {
      // Created but the engine would not start it: the kubelet's RunContainerError.
      state = new ContainerState.Waiting("RunContainerError", c.inspect().getState().getError());
    } else {
      state = new ContainerState.Waiting("ContainerCreating", null);
    }
    return new RuntimeContainer(
        c.name(),
        c.inspect().getConfig().getImage(),
        "docker://" + c.inspect().getImageId(),
        "docker://" + c.id(),
        state,
        last,
        c.restartCount(),
        c.running() && probing.started(c),
        c.running() && probing.ready(c));
  }

  /** The kubelet's message for a container waiting out its back-off. */
  private static ContainerState.Waiting crashLoopBackOff(PodContainer c) {
    Duration backOff = CrashLoopBackOff.backOff(c);
    return new ContainerState.Waiting(
        "CrashLoopBackOff",
        "back-off "
            + backOff.toSeconds()
            + "s restarting failed container="
            + c.name()
            + " pod="
            + c.label(DockerLabels.POD_NAME)
            + "_"
            + c.label(DockerLabels.POD_NAMESPACE)
            + "("
            + c.label(DockerLabels.POD_UID)
            + ")");
  }

  private static ContainerState.Terminated terminated(PodContainer c) {
    var st = c.inspect().getState();
    int code = c.exitCode();
    String reason =
        Boolean.TRUE.equals(st.getOOMKilled()) ? "OOMKilled" : code == 0 ? "Completed" : "Error";
    String error = st.getError();
    return new ContainerState.Terminated(
        code,
        reason,
        error == null || error.isBlank() ? null : error,
        c.startedAt(),
        c.finishedAt(),
        "docker://" + c.id());
  }
}
