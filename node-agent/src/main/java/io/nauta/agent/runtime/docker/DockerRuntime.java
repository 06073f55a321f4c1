package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.RuntimePod;
import io.nauta.core.logs.LogOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a node's pods on a Docker engine. The node has one bridge network {@code nauta-<node>} on
 * its pod range ({@link NodeNetwork}); a pod is a sandbox container on it with the pod's IP (it
 * only sleeps, as the kubelet's pause container does; {@link SandboxCreator}) plus its containers
 * joined to the sandbox's network namespace ({@code --network container:<sandbox>}; {@link
 * ContainerCreator}). Every Docker object carries {@link DockerLabels}, and what runs is always
 * read back from Docker ({@link RuntimePodReader}), so a new instance (an agent that restarted)
 * adopts the running containers. A container that exits is restarted per {@code restartPolicy} with
 * Kubernetes' {@link CrashLoopBackOff} ({@link PodSync}); the previous run's container is kept for
 * {@code lastState}. Exits are found by listing the node's containers every {@code pollInterval}
 * ({@link ExitPoller}). Images are never pulled: no registry is reachable.
 *
 * <p>Docker's client blocks, so every call runs on the bounded-elastic scheduler.
 */
public final class DockerRuntime implements ContainerRuntime {

  private final String node;
  private final NodeNetwork network;
  private final DockerContainers containers;
  private final RuntimePodReader reader;
  private final PodSync sync;
  private final PodKiller killer;
  private final ContainerLogs logs;
  private final Flux<RuntimePod> changes;

  public DockerRuntime(
      DockerClient docker,
      String node,
      PodCidr cidr,
      String sandboxImage,
      Duration pollInterval,
      Clock clock,
      PodEvents events) {
    this.node = node;
    this.containers = new DockerContainers(docker);
    this.network = new NodeNetwork(docker, containers, node, cidr);
    UnstartedContainers unstarted = new UnstartedContainers();
    CrashLoopBackOff backOff = new CrashLoopBackOff(clock);
    ContainerProbing probing =
        new ContainerProbing(
            docker, containers, network, new DockerProber(docker), node, clock, events);
    this.reader = new RuntimePodReader(containers, network, unstarted, probing);
    this.sync =
        new PodSync(
            containers,
            new SandboxCreator(docker, containers, network, node, sandboxImage),
            new ContainerCreator(docker, containers, unstarted, node),
            backOff,
            events);
    this.killer = new PodKiller(containers, network, unstarted, events);
    this.logs = new ContainerLogs(docker, containers, clock);
    this.changes =
        Flux.merge(
                new ExitPoller(containers, node).changedPods(pollInterval),
                backOff.wakeUps(),
                probing.changedPods(pollInterval))
            .concatMap(uid -> pod(uid).onErrorResume(e -> Mono.empty()))
            .share();
  }

  /** The node's Docker network, {@code nauta-<node>}. */
  public String network() {
    return network.name();
  }

  @Override
  public Mono<RuntimePod> syncPod(Pod pod) {
    return blocking(
        () -> {
          network.ensure();
          sync.sync(pod);
          return reader.read(pod.getMetadata().getUid());
        });
  }

  @Override
  public Mono<Void> killPod(String podUid, Duration gracePeriod) {
    return killer.kill(podUid, gracePeriod);
  }

  @Override
  public Mono<RuntimePod> pod(String podUid) {
    return blocking(
        () -> {
          network.ensure();
          return reader.read(podUid);
        });
  }

  @Override
  public Flux<RuntimePod> pods() {
    return blocking(
            () -> {
              network.ensure();
              return containers
                  .list(
                      Map.of(
                          DockerLabels.NODE,
                          node,
                          DockerLabels.CONTAINER_NAME,
                          DockerLabels.SANDBOX))
                  .stream()
                  .map(c -> c.getLabels().get(DockerLabels.POD_UID))
                  .distinct()
                  .toList();
            })
        .flatMapIterable(uids -> uids)
        .concatMap(this::pod);
  }

  @Override
  public Flux<byte[]> logs(String podUid, String container, LogOptions options) {
    return logs.read(podUid, container, options);
  }

  @Override
  public Flux<RuntimePod> changes() {
    return changes;
  }

  static <T> Mono<T> blocking(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }
}
