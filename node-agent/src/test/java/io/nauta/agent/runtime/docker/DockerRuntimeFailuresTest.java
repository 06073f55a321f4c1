package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What the Docker runtime makes of the engine's failures and of a pod that finished, on a {@link
 * FakeEngine}: the kubelet's reasons in status and events, and the sandbox's IP given back.
 */
class DockerRuntimeFailuresTest {

  private static final String NODE = "node-f";
  private static final Duration T = Duration.ofSeconds(10);

  private final FakeEngine engine = new FakeEngine(NODE);
  private final PodCidr cidr = PodCidr.nth("10.244.0.0/16", 3);
  private final RecordedPodEvents events = new RecordedPodEvents();
  private final DockerRuntime runtime =
      new DockerRuntime(
          engine.docker.client(),
          NODE,
          cidr,
          "nauta/busybox:local",
          Duration.ofSeconds(1),
          Clock.systemUTC(),
          events);

  private static Pod pod(String name, String restartPolicy, String image) {
    return pod(
        name,
        restartPolicy,
        new ContainerBuilder().withName("c").withImage(image).withCommand("true").build());
  }

  private static Pod pod(
      String name, String restartPolicy, io.fabric8.kubernetes.api.model.Container container) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withRestartPolicy(restartPolicy)
        .withContainers(container)
        .endSpec()
        .build();
  }

  @Test
  void aSandboxThatCannotBeCreatedIsAFailedCreatePodSandBoxEvent() {
    engine.docker.on(
        "createContainerCmd",
        call ->
            new NotFoundException(
                "Status 404: {\"message\":\"No such image: nauta/busybox:local\"}\n"));
    Pod pod = pod("no-sandbox", "Always", "nauta/busybox:local");

    assertThatThrownBy(() -> runtime.syncPod(pod).block(T)).isInstanceOf(NotFoundException.class);

    assertThat(events.of("no-sandbox"))
        .extracting(
            RecordedPodEvents.Recorded::type, RecordedPodEvents.Recorded::reason, e -> e.message())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Warning",
                "FailedCreatePodSandBox",
                "Failed to create pod sandbox: Error response from daemon: No such image:"
                    + " nauta/busybox:local"));
    assertThat(cidr.inUse("10.244.3.2")).isFalse();
  }

  @Test
  void aContainerTheEngineRefusesWaitsInCreateContainerErrorWithTheEnginesMessage() {
    Pod pod =
        pod(
            "tiny",
            "Always",
            new ContainerBuilder()
                .withName("c")
                .withImage("nauta/busybox:local")
                .withCommand("sleep", "3600")
                .withNewResources()
                .addToLimits("memory", new Quantity("1Mi"))
                .endResources()
                .build());
    refuseAppContainers(
        new BadRequestException(
            "Status 400: {\"message\":\"Minimum memory limit allowed is 6MB\"}\n"));

    RuntimePod rt = runtime.syncPod(pod).block(T);

    RuntimeContainer c = rt.container("c").orElseThrow();
    assertThat(c.state())
        .isEqualTo(
            new ContainerState.Waiting(
                "CreateContainerError",
                "Error response from daemon: Minimum memory limit allowed is 6MB"));
    assertThat(events.of("tiny"))
        .anyMatch(
            e ->
                e.reason().equals("Failed")
                    && e.message()
                        .equals(
                            "Error: Error response from daemon: Minimum memory limit allowed is"
                                + " 6MB"));
  }

  @Test
  void anImageNameDockerCannotParseWaitsInInvalidImageNameAndNothingIsAskedOfTheEngine() {
    Pod pod = pod("bad-image", "Always", "Nauta/BusyBox:local");

    RuntimePod rt = runtime.syncPod(pod).block(T);

    String message =
        "Failed to apply default image tag \"Nauta/BusyBox:local\": couldn't parse image name"
            + " \"Nauta/BusyBox:local\": invalid reference format: repository name must be"
            + " lowercase";
    assertThat(rt.container("c").orElseThrow().state())
        .isEqualTo(new ContainerState.Waiting("InvalidImageName", message));
    assertThat(events.of("bad-image"))
        .extracting(RecordedPodEvents.Recorded::reason, RecordedPodEvents.Recorded::message)
        .contains(
            org.assertj.core.groups.Tuple.tuple("InspectFailed", message),
            org.assertj.core.groups.Tuple.tuple("Failed", "Error: InvalidImageName"));
    assertThat(engine.docker.calls("inspectImageCmd")).isEmpty();
    assertThat(engine.named("c")).isEmpty();
  }

  @Test
  void aFinishedPodsSandboxGivesItsIpBackAndKeepsItsContainers() {
    Pod pod = pod("done", "Never", "nauta/busybox:local");
    RuntimePod rt = runtime.syncPod(pod).block(T);
    String ip = rt.ip();
    assertThat(ip).isEqualTo("10.244.3.2");
    assertThat(cidr.inUse(ip)).isTrue();
    engine.named("c").get(0).state = "exited";

    runtime.stopPod(pod.getMetadata().getUid()).block(T);

    assertThat(cidr.inUse(ip)).isFalse();
    FakeEngine.Ctr sandbox = engine.named(DockerLabels.SANDBOX).get(0);
    assertThat(sandbox.state).isEqualTo("exited");
    assertThat(sandbox.onNetwork).isFalse();
    // Kept for status and logs until the pod is deleted.
    assertThat(engine.containers).hasSize(2);

    // Stopped again (every sync of a finished pod does): the address, now another pod's, stays.
    assertThat(cidr.allocate()).isEqualTo("10.244.3.3");
    runtime.stopPod(pod.getMetadata().getUid()).block(T);
    assertThat(engine.docker.calls("disconnectFromNetworkCmd")).hasSize(1);
    // After an agent restart the stopped sandbox's address is not taken for one in use.
    PodCidr fresh = PodCidr.nth("10.244.0.0/16", 3);
    new DockerRuntime(
            engine.docker.client(),
            NODE,
            fresh,
            "nauta/busybox:local",
            Duration.ofSeconds(1),
            Clock.systemUTC(),
            events)
        .pods()
        .collectList()
        .block(T);
    assertThat(fresh.inUse(ip)).isFalse();
  }

  @Test
  void anEngineThatDoesNotAnswerFailsThePing() {
    engine.docker.on("pingCmd", call -> new RuntimeException("connection refused"));

    StepVerifier.create(runtime.ping()).expectErrorMessage("connection refused").verify(T);

    engine.docker.on("pingCmd", call -> null);
    StepVerifier.create(runtime.ping()).verifyComplete();
  }

  @Test
  void dockerCallsDoNotWaitForThreadsOtherBlockingWorkHolds() throws Exception {
    // Every thread of the shared bounded-elastic scheduler busy with something else.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.List<reactor.core.Disposable> busy = new java.util.ArrayList<>();
    for (int i = 0; i < reactor.core.scheduler.Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE; i++) {
      busy.add(
          reactor.core.scheduler.Schedulers.boundedElastic()
              .schedule(
                  () -> {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    try {
      Pod pod = pod("meanwhile", "Always", "nauta/busybox:local");

      assertThat(runtime.syncPod(pod).block(T).containers()).allMatch(RuntimeContainer::running);
    } finally {
      release.countDown();
      busy.forEach(reactor.core.Disposable::dispose);
    }
  }

  /** The sandbox is created as usual; every other container's create fails with {@code error}. */
  private void refuseAppContainers(RuntimeException error) {
    var usual = engine.docker.answer("createContainerCmd");
    engine.docker.on(
        "createContainerCmd",
        call ->
            String.valueOf(call.with("withName")).contains("_" + DockerLabels.SANDBOX + "_")
                ? usual.apply(call)
                : error);
  }
}
