package io.nauta.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerLogStatusTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final Pod POD =
      new PodBuilder()
          .withNewMetadata()
          .withName("web")
          .endMetadata()
          .withNewSpec()
          .addNewInitContainer()
          .withName("init")
          .endInitContainer()
          .addNewContainer()
          .withName("app")
          .endContainer()
          .endSpec()
          .build();

  private static RuntimePod running(RuntimeContainer app) {
    return new RuntimePod("uid", "default", "web", "10.244.0.2", T, List.of(), List.of(app));
  }

  private static RuntimeContainer app(ContainerState state, ContainerState.Terminated last) {
    return new RuntimeContainer(
        "app", "busybox", "", "docker://1", state, last, last == null ? 0 : 1);
  }

  @Test
  void aRunningOrExitedContainerHasLogs() {
    assertThat(
            ContainerLogStatus.refusal(
                POD, running(app(new ContainerState.Running(T), null)), "app", false))
        .isNull();
    assertThat(
            ContainerLogStatus.refusal(
                POD, running(app(ContainerState.Terminated.completed(T, T), null)), "app", false))
        .isNull();
  }

  @Test
  void aCrashLoopingContainerShowsItsLastRunAndHasAPreviousOne() {
    RuntimePod backingOff =
        running(
            app(
                new ContainerState.Waiting("CrashLoopBackOff", "back-off 10s"),
                ContainerState.Terminated.completed(T, T)));
    assertThat(ContainerLogStatus.refusal(POD, backingOff, "app", false)).isNull();
    assertThat(ContainerLogStatus.refusal(POD, backingOff, "app", true)).isNull();
  }

  @Test
  void previousNeedsATerminatedEarlierRun() {
    assertThat(
            ContainerLogStatus.refusal(
                POD, running(app(new ContainerState.Running(T), null)), "app", true))
        .isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
    assertThat(ContainerLogStatus.refusal(POD, null, "app", true))
        .isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
  }

  @Test
  void aContainerThatNeverRanIsWaitingToStartWithTheKubeletsReason() {
    assertThat(ContainerLogStatus.refusal(POD, null, "init", false))
        .isEqualTo("container \"init\" in pod \"web\" is waiting to start: ContainerCreating");
    assertThat(ContainerLogStatus.refusal(POD, null, "app", false))
        .isEqualTo("container \"app\" in pod \"web\" is waiting to start: PodInitializing");
    assertThat(
            ContainerLogStatus.refusal(
                POD,
                running(app(new ContainerState.Waiting("ErrImageNeverPull", "no image"), null)),
                "app",
                false))
        .isEqualTo("container \"app\" in pod \"web\" is waiting to start: ErrImageNeverPull");
    assertThat(
            ContainerLogStatus.refusal(
                POD,
                running(app(new ContainerState.Waiting("ErrImagePull", "no registry"), null)),
                "app",
                false))
        .isEqualTo("container \"app\" in pod \"web\" is waiting to start: image can't be pulled");
  }
}
