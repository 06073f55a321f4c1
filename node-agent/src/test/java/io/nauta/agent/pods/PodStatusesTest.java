package io.nauta.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatusesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T10:00:05Z");
  private static final String HOST = "192.0.2.7";

  private static Pod pod(String restartPolicy, String... containers) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("web")
            .withUid("uid-1")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-0")
            .withRestartPolicy(restartPolicy)
            .endSpec();
    for (String c : containers) {
      b.editSpec().addNewContainer().withName(c).withImage("busybox").endContainer().endSpec();
    }
    return b.build();
  }

  private static RuntimeContainer c(String name, ContainerState state) {
    return new RuntimeContainer(
        name, "busybox", "sim@sha256:1", "simulated://" + name, state, null, 0);
  }

  private static RuntimePod rt(RuntimeContainer... containers) {
    return new RuntimePod(
        "uid-1", "default", "web", "10.244.0.2", T0, List.of(), List.of(containers));
  }

  private static final ContainerState RUNNING = new ContainerState.Running(T0);
  private static final ContainerState CREATING =
      new ContainerState.Waiting("ContainerCreating", null);
  private static final ContainerState EXIT_0 = ContainerState.Terminated.completed(T0, T1);
  private static final ContainerState EXIT_1 =
      new ContainerState.Terminated(1, "Error", null, T0, T1);

  /** spec restart policy, runtime state → phase, Ready, ContainersReady, Initialized. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "nothing runs yet", pod("Always", "a"), null, "Pending", "False", "False", "True"),
        Arguments.of(
            "creating",
            pod("Always", "a"),
            rt(c("a", CREATING)),
            "Pending",
            "False",
            "False",
            "True"),
        Arguments.of(
            "all running",
            pod("Always", "a", "b"),
            rt(c("a", RUNNING), c("b", RUNNING)),
            "Running",
            "True",
            "True",
            "True"),
        Arguments.of(
            "one of two running",
            pod("Always", "a", "b"),
            rt(c("a", RUNNING), c("b", CREATING)),
            "Pending",
            "False",
            "False",
            "True"),
        Arguments.of(
            "one running, one exited, Always",
            pod("Always", "a", "b"),
            rt(c("a", RUNNING), c("b", EXIT_1)),
            "Running",
            "False",
            "False",
            "True"),
        Arguments.of(
            "all exited 0, Never",
            pod("Never", "a"),
            rt(c("a", EXIT_0)),
            "Succeeded",
            "False",
            "False",
            "True"),
        Arguments.of(
            "one exited 1, Never",
            pod("Never", "a", "b"),
            rt(c("a", EXIT_0), c("b", EXIT_1)),
            "Failed",
            "False",
            "False",
            "True"),
        Arguments.of(
            "exited 1, OnFailure",
            pod("OnFailure", "a"),
            rt(c("a", EXIT_1)),
            "Running",
            "False",
            "False",
            "True"),
        Arguments.of(
            "exited 0, OnFailure",
            pod("OnFailure", "a"),
            rt(c("a", EXIT_0)),
            "Succeeded",
            "False",
            "False",
            "True"),
        Arguments.of(
            "all exited, Always",
            pod("Always", "a"),
            rt(c("a", EXIT_0)),
            "Running",
            "False",
            "False",
            "True"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void computesPhaseAndConditionsAsTheKubeletDoes(
      String name,
      Pod pod,
      RuntimePod runtime,
      String phase,
      String ready,
      String containersReady,
      String initialized) {
    PodStatus status = PodStatuses.compute(pod, runtime, HOST, T1);

    assertThat(status.getPhase()).isEqualTo(phase);
    Map<String, String> conditions = conditions(status);
    assertThat(conditions)
        .containsEntry("PodScheduled", "True")
        .containsEntry("Initialized", initialized)
        .containsEntry("ContainersReady", containersReady)
        .containsEntry("Ready", ready);
    assertThat(status.getHostIP()).isEqualTo(HOST);
    assertThat(status.getStartTime()).isEqualTo("2026-01-01T10:00:05Z");
    assertThat(status.getContainerStatuses())
        .extracting(ContainerStatus::getName)
        .containsExactlyElementsOf(
            pod.getSpec().getContainers().stream().map(c -> c.getName()).toList());
  }

  @Test
  void reportsARunningContainerLikeTheKubelet() {
    PodStatus status = PodStatuses.compute(pod("Always", "a"), rt(c("a", RUNNING)), HOST, T1);

    assertThat(status.getPodIP()).isEqualTo("10.244.0.2");
    assertThat(status.getPodIPs()).extracting(ip -> ip.getIp()).containsExactly("10.244.0.2");
    assertThat(status.getHostIPs()).extracting(ip -> ip.getIp()).containsExactly(HOST);
    ContainerStatus a = status.getContainerStatuses().get(0);
    assertThat(a.getImage()).isEqualTo("busybox");
    assertThat(a.getImageID()).isEqualTo("sim@sha256:1");
    assertThat(a.getContainerID()).isEqualTo("simulated://a");
    assertThat(a.getReady()).isTrue();
    assertThat(a.getStarted()).isTrue();
    assertThat(a.getRestartCount()).isZero();
    assertThat(a.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T10:00:00Z");
    for (PodCondition c : status.getConditions()) {
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:05Z");
    }
  }

  /**
   * The kubelet names the container of each terminated run, so a client can tell which run ended
   * (and after an engine restart, that the run shown in lastState is gone).
   */
  @Test
  void terminatedStatesNameTheirContainerLikeTheKubelet() {
    RuntimeContainer restarted =
        new RuntimeContainer(
            "a",
            "busybox",
            "sim@sha256:1",
            "docker://new",
            RUNNING,
            new ContainerState.Terminated(137, "Error", null, T0, T1, "docker://old"),
            1);
    ContainerStatus a =
        PodStatuses.compute(pod("Always", "a"), rt(restarted), HOST, T1)
            .getContainerStatuses()
            .get(0);
    assertThat(a.getContainerID()).isEqualTo("docker://new");
    assertThat(a.getLastState().getTerminated().getContainerID()).isEqualTo("docker://old");
    assertThat(a.getLastState().getTerminated().getExitCode()).isEqualTo(137);

    ContainerStatus exited =
        PodStatuses.compute(pod("Never", "a"), rt(c("a", EXIT_1)), HOST, T1)
            .getContainerStatuses()
            .get(0);
    assertThat(exited.getState().getTerminated().getContainerID()).isEqualTo("simulated://a");
  }

  @Test
  void aRunningContainerItsProbesDoNotPassKeepsThePodRunningButNotReady() {
    RuntimeContainer unready =
        new RuntimeContainer(
            "a", "busybox", "sim@sha256:1", "simulated://a", RUNNING, null, 0, true, false);
    RuntimeContainer notStarted =
        new RuntimeContainer(
            "b", "busybox", "sim@sha256:1", "simulated://b", RUNNING, null, 0, false, false);
    PodStatus status =
        PodStatuses.compute(pod("Always", "a", "b"), rt(unready, notStarted), HOST, T1);

    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getContainerStatuses())
        .extracting(ContainerStatus::getReady, ContainerStatus::getStarted)
        .containsExactly(tuple(false, true), tuple(false, false));
    assertThat(conditions(status))
        .containsEntry("ContainersReady", "False")
        .containsEntry("Ready", "False");
    PodCondition ready =
        status.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().get();
    assertThat(ready.getMessage()).isEqualTo("containers with unready status: [a, b]");
  }

  @Test
  void aContainerNotCreatedYetIsWaitingInContainerCreatingWithoutAnId() {
    PodStatus status = PodStatuses.compute(pod("Always", "a"), null, HOST, T1);

    ContainerStatus a = status.getContainerStatuses().get(0);
    assertThat(a.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(a.getContainerID()).isNull();
    assertThat(a.getReady()).isFalse();
    assertThat(status.getPodIP()).isNull();
    PodCondition ready =
        status.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().get();
    assertThat(ready.getReason()).isEqualTo("ContainersNotReady");
    assertThat(ready.getMessage()).isEqualTo("containers with unready status: [a]");
  }

  @Test
  void computingAgainFromTheSameStateGivesAnEqualStatusSoNothingIsWritten() {
    Pod pod = pod("Always", "a");
    PodStatus first = PodStatuses.compute(pod, rt(c("a", RUNNING)), HOST, T0);
    Pod written = new PodBuilder(pod).withStatus(first).build();

    PodStatus second = PodStatuses.compute(written, rt(c("a", RUNNING)), HOST, T1);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void keepsTransitionTimesOfConditionsThatDidNotChangeAndTheStartTime() {
    Pod pod = pod("Always", "a");
    PodStatus creating = PodStatuses.compute(pod, rt(c("a", CREATING)), HOST, T0);
    Pod written = new PodBuilder(pod).withStatus(creating).build();

    PodStatus running = PodStatuses.compute(written, rt(c("a", RUNNING)), HOST, T1);

    Map<String, String> transitions =
        running.getConditions().stream()
            .collect(Collectors.toMap(PodCondition::getType, PodCondition::getLastTransitionTime));
    assertThat(transitions)
        .containsEntry("PodScheduled", "2026-01-01T10:00:00Z")
        .containsEntry("Initialized", "2026-01-01T10:00:00Z")
        .containsEntry("Ready", "2026-01-01T10:00:05Z")
        .containsEntry("ContainersReady", "2026-01-01T10:00:05Z");
    assertThat(running.getStartTime()).isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void keepsFieldsItDoesNotOwn() {
    Pod pod =
        new PodBuilder(pod("Always", "a"))
            .withNewStatus()
            .withQosClass("BestEffort")
            .endStatus()
            .build();

    PodStatus status = PodStatuses.compute(pod, rt(c("a", RUNNING)), HOST, T1);

    assertThat(status.getQosClass()).isEqualTo("BestEffort");
  }

  @Test
  void initContainersNotCompletedKeepThePodPendingAndNotInitialized() {
    Pod pod =
        new PodBuilder(pod("Always", "a"))
            .editSpec()
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox")
            .endInitContainer()
            .endSpec()
            .build();
    RuntimePod runtime =
        new RuntimePod(
            "uid-1", "default", "web", "10.244.0.2", T0, List.of(c("init", RUNNING)), List.of());

    PodStatus status = PodStatuses.compute(pod, runtime, HOST, T1);

    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(conditions(status)).containsEntry("Initialized", "False");
    assertThat(status.getInitContainerStatuses()).hasSize(1);
  }

  @Test
  void aFailedInitContainerUnderRestartPolicyNeverFailsThePod() {
    Pod pod =
        new PodBuilder(pod("Never", "a"))
            .editSpec()
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox")
            .endInitContainer()
            .endSpec()
            .build();
    RuntimePod runtime =
        new RuntimePod(
            "uid-1", "default", "web", "10.244.0.2", T0, List.of(c("init", EXIT_1)), List.of());

    PodStatus status = PodStatuses.compute(pod, runtime, HOST, T1);

    assertThat(status.getPhase()).isEqualTo("Failed");
    assertThat(conditions(status))
        .containsEntry("Initialized", "False")
        .containsEntry("Ready", "False");
    // The app container never ran: it waits as the kubelet shows it behind init containers.
    assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
  }

  @Test
  void aFailedInitContainerUnderOnFailureKeepsThePodPendingForItsRestart() {
    Pod pod =
        new PodBuilder(pod("OnFailure", "a"))
            .editSpec()
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox")
            .endInitContainer()
            .endSpec()
            .build();
    RuntimePod runtime =
        new RuntimePod(
            "uid-1", "default", "web", "10.244.0.2", T0, List.of(c("init", EXIT_1)), List.of());

    assertThat(PodStatuses.compute(pod, runtime, HOST, T1).getPhase()).isEqualTo("Pending");
  }

  private static Map<String, String> conditions(PodStatus status) {
    return status.getConditions().stream()
        .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
  }
}
