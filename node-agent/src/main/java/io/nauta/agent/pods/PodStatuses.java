package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes a pod's status from its spec and what the runtime runs for it, as the kubelet does
 * (pkg/kubelet/kubelet_pods.go generateAPIPodStatus, pkg/kubelet/status): the phase, the conditions
 * {@code PodScheduled}, {@code Initialized}, {@code ContainersReady} and {@code Ready}, the IPs,
 * the start time and one status per container. Fields it does not own (e.g. {@code qosClass}) are
 * kept from the current status; a condition whose status did not change keeps its {@code
 * lastTransitionTime}, and {@code startTime} is set once, so computing twice from the same state
 * gives an equal status and nothing is written.
 */
public final class PodStatuses {

  private PodStatuses() {}

  /**
   * @param pod the pod as the API server has it
   * @param runtime what runs for it, or null if nothing does yet
   * @param hostIp the node's InternalIP
   * @param now the time for new transitions and the start time
   */
  public static PodStatus compute(Pod pod, RuntimePod runtime, String hostIp, Instant now) {
    PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String nowText = time(now);
    List<Container> specInit = orEmpty(pod.getSpec().getInitContainers());
    List<Container> specApp = orEmpty(pod.getSpec().getContainers());

    List<ContainerStatus> initStatuses =
        specInit.stream()
            .map(
                c ->
                    containerStatus(
                        c,
                        runtime == null ? null : runtime.initContainer(c.getName()),
                        "ContainerCreating"))
            .toList();
    // The kubelet's default for an app container not created yet, while its pod has init
    // containers.
    String notCreated = specInit.isEmpty() ? "ContainerCreating" : "PodInitializing";
    List<ContainerStatus> appStatuses =
        specApp.stream()
            .map(
                c ->
                    containerStatus(
                        c, runtime == null ? null : runtime.container(c.getName()), notCreated))
            .toList();

    boolean initialized = initStatuses.stream().allMatch(PodStatuses::completed);
    List<String> unready =
        appStatuses.stream()
            .filter(s -> !Boolean.TRUE.equals(s.getReady()))
            .map(ContainerStatus::getName)
            .toList();
    String phase = phase(pod, runtime, initialized, initStatuses, appStatuses);
    boolean succeeded = "Succeeded".equals(phase);

    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            current,
            "Initialized",
            initialized,
            initialized ? null : "ContainersNotInitialized",
            initialized
                ? null
                : "containers with incomplete status: " + names(specInit, initStatuses),
            nowText,
            succeeded));
    String unreadyMessage = "containers with unready status: " + unready;
    conditions.add(
        condition(
            current,
            "Ready",
            unready.isEmpty(),
            "ContainersNotReady",
            unreadyMessage,
            nowText,
            succeeded));
    conditions.add(
        condition(
            current,
            "ContainersReady",
            unready.isEmpty(),
            "ContainersNotReady",
            unreadyMessage,
            nowText,
            succeeded));
    conditions.add(condition(current, "PodScheduled", true, null, null, nowText, false));
    // Conditions others own (e.g. readiness gates, DisruptionTarget) are kept as they are.
    for (PodCondition c : orEmpty(current.getConditions())) {
      if (conditions.stream().noneMatch(o -> o.getType().equals(c.getType()))) {
        conditions.add(c);
      }
    }

    PodStatusBuilder b =
        new PodStatusBuilder(current)
            .withPhase(phase)
            .withConditions(conditions)
            .withHostIP(hostIp)
            .withHostIPs(new HostIP(hostIp))
            .withStartTime(current.getStartTime() != null ? current.getStartTime() : nowText)
            .withContainerStatuses(appStatuses)
            .withInitContainerStatuses(initStatuses.isEmpty() ? null : initStatuses);
    if (runtime != null) {
      b.withPodIP(runtime.ip()).withPodIPs(new PodIP(runtime.ip()));
    }
    return b.build();
  }

  /** The kubelet's getPhase, for the states this runtime reports. */
  private static String phase(
      Pod pod,
      RuntimePod runtime,
      boolean initialized,
      List<ContainerStatus> initStatuses,
      List<ContainerStatus> statuses) {
    String policy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    // An init container that failed is never run again under Never: the pod cannot start.
    if (runtime != null
        && "Never".equals(policy)
        && initStatuses.stream().anyMatch(PodStatuses::failed)) {
      return "Failed";
    }
    if (runtime == null || !initialized) {
      return "Pending";
    }
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    for (ContainerStatus s : statuses) {
      ContainerState st = s.getState();
      if (st.getRunning() != null) {
        running++;
      } else if (st.getTerminated() != null) {
        if (st.getTerminated().getExitCode() == 0) {
          succeeded++;
        } else {
          failed++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        // Waiting to restart after a run: the pod did start, it is not Pending any more.
        running++;
      } else {
        waiting++;
      }
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (statuses.isEmpty()) {
      return "Pending";
    }
    // Every container terminated.
    return switch (policy) {
      case "Never" -> failed > 0 ? "Failed" : "Succeeded";
      case "OnFailure" -> failed > 0 ? "Running" : "Succeeded";
      default -> "Running";
    };
  }

  private static ContainerStatus containerStatus(
      Container spec, Optional<RuntimeContainer> runtime, String notCreated) {
    if (runtime == null || runtime.isEmpty()) {
      return new ContainerStatusBuilder()
          .withName(spec.getName())
          .withImage(spec.getImage())
          .withImageID("")
          .withReady(false)
          .withStarted(false)
          .withRestartCount(0)
          .withState(
              new ContainerStateBuilder()
                  .withNewWaiting()
                  .withReason(notCreated)
                  .endWaiting()
                  .build())
          .build();
    }
    RuntimeContainer c = runtime.get();
    boolean running = c.running();
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(spec.getName())
            .withImage(spec.getImage())
            .withImageID(c.imageId())
            .withContainerID(c.containerId())
            // The runtime's probes decide; a container without them is both while it runs.
            .withReady(running && c.ready())
            .withStarted(running && c.started())
            .withRestartCount(c.restartCount())
            .withState(state(c.state(), c.containerId()));
    if (c.lastTermination() != null) {
      b.withLastState(state(c.lastTermination(), null));
    }
    return b.build();
  }

  /**
   * @param containerId the container a terminated state belongs to when the runtime's state does
   *     not name it (null: none)
   */
  private static ContainerState state(io.nauta.agent.runtime.ContainerState s, String containerId) {
    ContainerStateBuilder b = new ContainerStateBuilder();
    if (s instanceof io.nauta.agent.runtime.ContainerState.Running r) {
      b.withNewRunning().withStartedAt(time(r.startedAt())).endRunning();
    } else if (s instanceof io.nauta.agent.runtime.ContainerState.Waiting w) {
      b.withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting();
    } else if (s instanceof io.nauta.agent.runtime.ContainerState.Terminated t) {
      b.withNewTerminated()
          .withExitCode(t.exitCode())
          .withReason(t.reason())
          .withMessage(t.message())
          .withStartedAt(t.startedAt() == null ? null : time(t.startedAt()))
          .withFinishedAt(t.finishedAt() == null ? null : time(t.finishedAt()))
          .withContainerID(t.containerId() != null ? t.containerId() : containerId)
          .endTerminated();
    }
    return b.build();
  }

  /**
   * An exit other than 0, now or (waiting to restart) in its last run: the kubelet's
   * failedInitialization.
   */
  private static boolean failed(ContainerStatus s) {
    if (s.getState().getTerminated() != null) {
      return s.getState().getTerminated().getExitCode() != 0;
    }
    return s.getState().getWaiting() != null
        && s.getLastState() != null
        && s.getLastState().getTerminated() != null
        && s.getLastState().getTerminated().getExitCode() != 0;
  }

  private static boolean completed(ContainerStatus s) {
    return s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() == 0;
  }

  private static String names(List<Container> specs, List<ContainerStatus> statuses) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (!completed(statuses.get(i))) {
        names.add(specs.get(i).getName());
      }
    }
    return names.toString();
  }

  /**
   * A condition of the kubelet's: {@code True}, or {@code False} with a reason; a succeeded pod's
   * Ready conditions are False with reason {@code PodCompleted}. The transition time is kept when
   * the status did not change.
   */
  private static PodCondition condition(
      PodStatus current,
      String type,
      boolean status,
      String reason,
      String message,
      String now,
      boolean podCompleted) {
    String value = status ? "True" : "False";
    String r = status ? null : reason;
    String m = status ? null : message;
    if (podCompleted) {
      value = type.equals("Initialized") ? "True" : "False";
      r = "PodCompleted";
      m = null;
    }
    String transition = now;
    for (PodCondition c : orEmpty(current.getConditions())) {
      if (type.equals(c.getType())
          && value.equals(c.getStatus())
          && c.getLastTransitionTime() != null) {
        transition = c.getLastTransitionTime();
      }
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(r)
        .withMessage(m)
        .withLastProbeTime(null)
        .withLastTransitionTime(transition)
        .build();
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
