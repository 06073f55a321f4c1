package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodEvents.PodRef;
import java.util.List;

/**
 * Makes a pod's containers in Docker what its spec says, from what Docker shows now: the sandbox
 * first, then the init containers one at a time in order, then every app container; a container
 * that exited is restarted per {@code restartPolicy} once its {@link CrashLoopBackOff} is over.
 * Idempotent: a pod that runs as it should is left alone.
 */
final class PodSync {

  private final DockerContainers containers;
  private final SandboxCreator sandboxes;
  private final ContainerCreator creator;
  private final CrashLoopBackOff backOff;
  private final PodEvents events;

  PodSync(
      DockerContainers containers,
      SandboxCreator sandboxes,
      ContainerCreator creator,
      CrashLoopBackOff backOff,
      PodEvents events) {
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.creator = creator;
    this.backOff = backOff;
    this.events = events;
  }

  void sync(Pod pod) {
    String uid = pod.getMetadata().getUid();
    PodContainers view = containers.ofPod(uid);
    PodContainer sandbox = view == null ? null : view.sandbox();
    if (sandbox == null) {
      sandbox = sandboxes.create(pod);
      view = containers.ofPod(uid);
    } else if (!sandbox.running()) {
      // The engine restarted, or someone stopped it: it keeps its IP on the network.
      containers.start(sandbox.id());
    }
    String policy = RestartPolicy.of(pod);
    List<Container> inits = orEmpty(pod.getSpec().getInitContainers());
    for (int i = 0; i < inits.size(); i++) {
      Container spec = inits.get(i);
      PodContainer latest = view.latest(spec.getName());
      if (latest == null) {
        creator.create(pod, spec, true, i, 0, sandbox.id());
        return;
      }
      if (!latest.exited()) {
        if (!latest.running()) {
          containers.start(latest.id());
        }
        return;
      }
      if (latest.exitCode() == 0) {
        continue;
      }
      if (RestartPolicy.restartsInit(policy, latest.exitCode())) {
        restartAfterBackOff(pod, spec, true, i, view, latest, sandbox.id());
      }
      return;
    }
    List<Container> apps = orEmpty(pod.getSpec().getContainers());
    for (int i = 0; i < apps.size(); i++) {
      Container spec = apps.get(i);
      PodContainer latest = view.latest(spec.getName());
      if (latest == null) {
        creator.create(pod, spec, false, i, 0, sandbox.id());
      } else if (latest.exited()) {
        if (RestartPolicy.restarts(policy, latest.exitCode())) {
          restartAfterBackOff(pod, spec, false, i, view, latest, sandbox.id());
        }
      } else if (!latest.running()) {
        containers.start(latest.id());
      }
    }
  }

  /** Restarts an exited container once its back-off is over (else the pod is woken up then). */
  private void restartAfterBackOff(
      Pod pod,
      Container spec,
      boolean init,
      int index,
      PodContainers view,
      PodContainer latest,
      String sandboxId) {
    if (!backOff.over(pod.getMetadata().getUid(), latest)) {
      // The kubelet says so on every sync that finds the container backing off (counted repeats).
      events.warning(
          PodRef.of(pod),
          "BackOff",
          "Back-off restarting failed container "
              + spec.getName()
              + " in pod "
              + pod.getMetadata().getName()
              + "_"
              + pod.getMetadata().getNamespace()
              + "("
              + pod.getMetadata().getUid()
              + ")");
      return;
    }
    // Keep only the run before the new one, for lastState (and logs --previous).
    for (PodContainer old : view.containers()) {
      if (old.name().equals(spec.getName()) && old.restartCount() < latest.restartCount()) {
        containers.remove(old.id());
      }
    }
    creator.create(pod, spec, init, index, latest.restartCount() + 1, sandboxId);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
