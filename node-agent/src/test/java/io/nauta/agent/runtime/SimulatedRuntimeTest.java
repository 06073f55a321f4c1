package io.nauta.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class SimulatedRuntimeTest {

  private static Pod pod(String uid) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("p-" + uid)
        .withUid(uid)
        .endMetadata()
        .withNewSpec()
        .addNewInitContainer()
        .withName("init")
        .withImage("busybox")
        .endInitContainer()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void recordsTheSecuritySettingsEachContainerWouldRunWithUntilThePodIsKilled() {
    SimulatedRuntime runtime =
        new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 2), Duration.ZERO, Clock.systemUTC());
    Pod pod =
        new PodBuilder(pod("s1"))
            .editSpec()
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .withFsGroup(2000L)
            .endSecurityContext()
            .editFirstContainer()
            .withNewSecurityContext()
            .withRunAsUser(1001L)
            .withReadOnlyRootFilesystem(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();

    runtime.syncPod(pod).block();

    assertThat(runtime.security("s1")).containsOnlyKeys("init", "app");
    assertThat(runtime.security("s1").get("init").runAsUser()).isEqualTo(1000L);
    assertThat(runtime.security("s1").get("init").readOnlyRootFilesystem()).isFalse();
    assertThat(runtime.security("s1").get("app").runAsUser()).isEqualTo(1001L);
    assertThat(runtime.security("s1").get("app").readOnlyRootFilesystem()).isTrue();
    assertThat(runtime.security("s1").get("app").groups()).containsExactly(2000L);
    runtime.killPod("s1", Duration.ZERO).block();
    assertThat(runtime.security("s1")).isEmpty();
  }

  @Test
  void aPodWaitsForItsClaimToBeBoundThenRecordsTheMountsItWouldMake() throws Exception {
    Map<String, PersistentVolumeClaim> claims = new ConcurrentHashMap<>();
    Map<String, PersistentVolume> volumes = new ConcurrentHashMap<>();
    PodInputs api =
        new PodInputs() {
          @Override
          public Mono<ConfigMap> configMap(String namespace, String name) {
            return Mono.empty();
          }

          @Override
          public Mono<Secret> secret(String namespace, String name) {
            return Mono.empty();
          }

          @Override
          public Mono<List<Service>> services(String namespace) {
            return Mono.just(List.of());
          }

          @Override
          public Mono<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
            return Mono.justOrEmpty(claims.get(namespace + "/" + name));
          }

          @Override
          public Mono<PersistentVolume> persistentVolume(String name) {
            return Mono.justOrEmpty(volumes.get(name));
          }
        };
    List<String> events = new CopyOnWriteArrayList<>();
    SimulatedRuntime rt =
        new SimulatedRuntime(
            PodCidr.nth("10.244.0.0/16", 1),
            Duration.ZERO,
            Clock.systemUTC(),
            api,
            (pod, type, reason, message) -> events.add(reason + ":" + message),
            Duration.ofMillis(50));
    Pod pod =
        new PodBuilder(pod("c1"))
            .editSpec()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/logs")
            .withSubPath("logs")
            .withReadOnly(true)
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim("claim", false)
            .endVolume()
            .endSpec()
            .build();

    var wokenUp = rt.changes().next().toFuture();
    StepVerifier.create(rt.syncPod(pod)).verifyComplete();
    assertThat(events)
        .containsExactly(
            "FailedMount:MountVolume.SetUp failed for volume \"data\" : persistentvolumeclaim"
                + " \"claim\" not found");
    // It asks to be synced again.
    assertThat(wokenUp.get(5, java.util.concurrent.TimeUnit.SECONDS).uid()).isEqualTo("c1");

    claims.put(
        "default/claim",
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("claim")
            .withUid("claim-uid")
            .endMetadata()
            .withNewSpec()
            .withVolumeName("pv-1")
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build());
    StepVerifier.create(rt.syncPod(pod)).verifyComplete();
    assertThat(events.get(events.size() - 1))
        .endsWith("persistentvolumeclaim \"claim\" is not bound");

    claims.computeIfPresent(
        "default/claim",
        (k, c) ->
            new PersistentVolumeClaimBuilder(c)
                .editStatus()
                .withPhase("Bound")
                .endStatus()
                .build());
    volumes.put(
        "pv-1",
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv-1")
            .endMetadata()
            .withNewSpec()
            .withNewClaimRef()
            .withNamespace("default")
            .withName("claim")
            .withUid("claim-uid")
            .endClaimRef()
            .withNewLocal()
            .withPath("/nowhere/volumes/pv-1")
            .endLocal()
            .endSpec()
            .build());
    StepVerifier.create(rt.syncPod(pod))
        .assertNext(p -> assertThat(p.container("app").get().running()).isTrue())
        .verifyComplete();
    assertThat(rt.mounts("c1"))
        .containsExactly(
            new SimulatedRuntime.Mount("app", "data", "/nowhere/volumes/pv-1", "/data", false),
            new SimulatedRuntime.Mount("app", "data", "/nowhere/volumes/pv-1/logs", "/logs", true));

    StepVerifier.create(rt.killPod("c1", Duration.ZERO)).verifyComplete();
    assertThat(rt.mounts("c1")).isEmpty();
  }

  @Test
  void withoutADelayContainersRunAtOnceAndInitContainersHaveCompleted() {
    SimulatedRuntime rt =
        new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 1), Duration.ZERO, Clock.systemUTC());

    StepVerifier.create(rt.syncPod(pod("u1")))
        .assertNext(
            p -> {
              assertThat(p.ip()).isEqualTo("10.244.1.2");
              assertThat(p.container("app").get().running()).isTrue();
              assertThat(p.container("app").get().containerId()).startsWith("simulated://");
              assertThat(p.initContainer("init").get().state())
                  .isInstanceOf(ContainerState.Terminated.class);
            })
        .verifyComplete();
  }

  @Test
  void withADelayContainersAreCreatingAndThenRunAndTheChangeIsReported() {
    SimulatedRuntime rt =
        new SimulatedRuntime(
            PodCidr.nth("10.244.0.0/16", 0), Duration.ofMillis(200), Clock.systemUTC());

    StepVerifier.create(rt.changes().take(1))
        .then(
            () ->
                assertThat(rt.syncPod(pod("u1")).block().container("app").get().state())
                    .isEqualTo(new ContainerState.Waiting("ContainerCreating", null)))
        .assertNext(p -> assertThat(p.container("app").get().running()).isTrue())
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void syncingAgainChangesNothingAndKillingFreesTheIp() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 0);
    SimulatedRuntime rt = new SimulatedRuntime(cidr, Duration.ZERO, Clock.systemUTC());
    RuntimePod first = rt.syncPod(pod("u1")).block();

    assertThat(rt.syncPod(pod("u1")).block()).isEqualTo(first);
    rt.killPod("u1", Duration.ofSeconds(30)).block();
    StepVerifier.create(rt.pod("u1")).verifyComplete();
    assertThat(cidr.inUse(first.ip())).isFalse();
    // Free, but not handed out again at once (round-robin, as host-local IPAM).
    assertThat(rt.syncPod(pod("u2")).block().ip()).isNotEqualTo(first.ip());
  }
}
