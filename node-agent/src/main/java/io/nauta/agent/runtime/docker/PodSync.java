package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodEvents.PodRef;
import io.nauta.agent.runtime.PodObjects;
import java.time.Duration;
import java.util.List;

/**
 * Makes a pod's containers in Docker what its spec says, from what Docker shows now: the sandbox
 * first, then the init containers one at a time in order, then every app container; a container
 * that exited is restarted per {@code restartPolicy} once its {@link CrashLoopBackOff} is over. The
 * pod's volumes are set up before anything else ({@link PodVolumes}). Idempotent: a pod that runs
 * as it should is left alone.
 */
final class PodSync {

  private final DockerContainers containers;
  private final SandboxCreator sandboxes;
  private final ContainerCreator creator;
  private final CrashLoopBackOff backOff;
  private final PodEvents events;
  private final PodVolumes volumes;
  private final NodeNetwork network;
  private final SyncRetries retries;
  private final Duration retryInterval;

  PodSync(
      DockerContainers containers,
      SandboxCreator sandboxes,
      ContainerCreator creator,
      CrashLoopBackOff backOff,
      PodEvents events,
      PodVolumes volumes,
      NodeNetwork network,
      SyncRetries retries,
      Duration retryInterval) {
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.creator = creator;
    this.backOff = backOff;
    this.events = events;
    this.volumes = volumes;
    this.network = network;
    this.retries = retries;
    this.retryInterval = retryInterval;
  }

  /**
   * Syncs the pod and answers the view of its containers it worked from when it changed nothing in
   * Docker (a pod that runs as it should), so the caller reads the pod's state from it instead of
   * asking Docker again; null when it created, started or removed a container (or set up nothing
   * yet).
   */
  PodContainers sync(Pod pod, PodObjects objects) {
    String uid = pod.getMetadata().getUid();
    // Volumes first, as the kubelet mounts them before the pod's sandbox: until every one is set
    // up, nothing of the pod is started and its containers stay ContainerCreating.
    PodVolumes.Mounted mounted = volumes.setUp(pod, objects);
    if (!mounted.ready()) {
      retries.after(PodEvents.PodRef.of(pod), retryInterval);
      return null;
    }
    // The one look at Docker the sync's decisions come from.
    PodContainers view = containers.ofPod(uid);
    PodContainer sandbox = view == null ? null : view.sandbox();
    boolean changed = false;
    if (sandbox == null) {
      sandbox = createSandbox(pod);
      changed = true;
      view =
          view == null
              ? new PodContainers(sandbox, RestartPolicy.of(pod), List.of())
              : view.withSandbox(sandbox, RestartPolicy.of(pod));
    } else if (!sandbox.running()) {
      // The engine restarted, or someone stopped it: it keeps its IP on the network.
      containers.start(sandbox.id());
      changed = true;
    }
    PodContext context =
        new PodContext(
            sandbox.id(),
            network.podIp(sandbox.inspect()),
            objects,
            mounted,
            sandbox.inspect().getHostConfig() != null
                && SecurityContexts.SHAREABLE.equals(
                    sandbox.inspect().getHostConfig().getIpcMode()));
    String policy = RestartPolicy.of(pod);
    List<Container> inits = orEmpty(pod.getSpec().getInitContainers());
    for (int i = 0; i < inits.size(); i++) {
      Container spec = inits.get(i);
      PodContainer latest = view.latest(spec.getName());
      if (latest == null) {
        creator.create(pod, spec, true, i, 0, context);
        return null;
      }
      if (!latest.exited()) {
        if (!latest.running()) {
          creator.start(pod, spec.getName(), latest.id());
          return null;
        }
        return changed ? null : view;
      }
      if (latest.exitCode() == 0) {
        continue;
      }
      if (RestartPolicy.restartsInit(policy, latest.exitCode())
          && restartAfterBackOff(pod, spec, true, i, view, latest, context)) {
        return null;
      }
      return changed ? null : view;
    }
    List<Container> apps = orEmpty(pod.getSpec().getContainers());
    for (int i = 0; i < apps.size(); i++) {
      Container spec = apps.get(i);
      PodContainer latest = view.latest(spec.getName());
      if (latest == null) {
        creator.create(pod, spec, false, i, 0, context);
        changed = true;
      } else if (latest.exited()) {
        if (RestartPolicy.restarts(policy, latest.exitCode())
            && restartAfterBackOff(pod, spec, false, i, view, latest, context)) {
          changed = true;
        }
      } else if (!latest.running()) {
        creator.start(pod, spec.getName(), latest.id());
        changed = true;
      }
    }
    return changed ? null : view;
  }

  /**
   * The kubelet's FailedCreatePodSandBox: the event says why, and the failure goes on to the pod
   * worker, which syncs the pod again with back-off (its containers stay ContainerCreating).
   */
  private PodContainer createSandbox(Pod pod) {
    try {
      return sandboxes.create(pod);
    } catch (RuntimeException e) {
      String why =
          e instanceof com.github.dockerjava.api.exception.DockerException d
              ? ImagePuller.engineMessage(d)
              : String.valueOf(e.getMessage());
      events.warning(
          PodRef.of(pod), "FailedCreatePodSandBox", "Failed to create pod sandbox: " + why);
      throw e;
    }
  }

  /**
   * Restarts an exited container once its back-off is over (else the pod is woken up then); true
   * when it did.
   */
  private boolean restartAfterBackOff(
      Pod pod,
      Container spec,
      boolean init,
      int index,
      PodContainers view,
      PodContainer latest,
      PodContext context) {
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
      return false;
    }
    // Keep only the run before the new one, for lastState (and logs --previous).
    for (PodContainer old : view.containers()) {
      if (old.name().equals(spec.getName()) && old.restartCount() < latest.restartCount()) {
        containers.remove(old.id());
      }
    }
    creator.create(pod, spec, init, index, latest.restartCount() + 1, context);
    return true;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
