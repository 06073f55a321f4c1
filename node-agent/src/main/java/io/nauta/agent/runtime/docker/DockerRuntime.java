package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.ContainerStreams;
import io.nauta.agent.runtime.LastPodObjects;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.RuntimePod;
import io.nauta.agent.runtime.StreamRequest;
import io.nauta.core.logs.LogOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
 * ({@link ExitPoller}). Images are pulled per {@code imagePullPolicy} ({@link ImagePuller}); env,
 * volumes and service variables come from the API objects {@link PodSetup#inputs()} reads before
 * each sync ({@link io.nauta.agent.runtime.env.ContainerEnv}, {@link PodVolumes}), and a pod
 * waiting for one of them is synced again ({@link SyncRetries}). Kubelet events go to {@link
 * PodEvents}.
 *
 * <p>Docker's client blocks, so every call runs on bounded pools of their own ({@link
 * DockerThreads}): starts and reads, stops, pulls each on theirs, so a slow pull or a long stop
 * never makes another pod's start wait for a thread, and other blocking work of the process (on the
 * shared bounded-elastic scheduler) never makes a Docker call wait, nor the other way round.
 */
public final class DockerRuntime implements ContainerRuntime {

  private final DockerClient docker;
  private final DockerThreads threads;
  private final String node;
  private final NodeNetwork network;
  private final DockerContainers containers;
  private final RuntimePodReader reader;
  private final PodSync sync;
  private final PodKiller killer;
  private final ContainerLogs logs;
  private final LastPodObjects inputs;
  private final Flux<RuntimePod> changes;

  public DockerRuntime(
      DockerClient docker,
      String node,
      PodCidr cidr,
      String sandboxImage,
      Duration pollInterval,
      Clock clock,
      PodEvents events) {
    this(
        docker,
        node,
        cidr,
        sandboxImage,
        pollInterval,
        clock,
        events,
        PodSetup.offline(
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "nauta-agent", node),
            "127.0.0.1"),
        DockerThreads.defaults());
  }

  /** A runtime on the process's default {@link DockerThreads}. */
  public DockerRuntime(
      DockerClient docker,
      String node,
      PodCidr cidr,
      String sandboxImage,
      Duration pollInterval,
      Clock clock,
      PodEvents events,
      PodSetup setup) {
    this(
        docker,
        node,
        cidr,
        sandboxImage,
        pollInterval,
        clock,
        events,
        setup,
        DockerThreads.defaults());
  }

  /**
   * @param setup where env and volumes come from ({@link PodSetup}); the other constructor's pods
   *     see no API objects and keep volumes under the temporary directory
   * @param threads the pools Docker calls run on, shared by every node's runtime in the process
   */
  public DockerRuntime(
      DockerClient docker,
      String node,
      PodCidr cidr,
      String sandboxImage,
      Duration pollInterval,
      Clock clock,
      PodEvents events,
      PodSetup setup,
      DockerThreads threads) {
    this.docker = docker;
    this.threads = threads;
    this.node = node;
    this.inputs = new LastPodObjects(setup.inputs());
    this.containers = new DockerContainers(docker, threads);
    this.network = new NodeNetwork(docker, containers, node, cidr, setup.hostIp());
    UnstartedContainers unstarted = new UnstartedContainers();
    CrashLoopBackOff backOff = new CrashLoopBackOff(clock);
    ContainerProbing probing =
        new ContainerProbing(
            docker, containers, network, new DockerProber(docker, threads), node, clock, events);
    this.reader = new RuntimePodReader(containers, network, unstarted, probing);
    SyncRetries retries = new SyncRetries(clock);
    PodVolumes volumes = new PodVolumes(docker, node, setup.rootDir(), events);
    ImagePuller images =
        new ImagePuller(docker, events, clock, setup.pullRegistries(), retries, threads);
    this.sync =
        new PodSync(
            containers,
            new SandboxCreator(docker, containers, network, node, sandboxImage, setup.dns()),
            new ContainerCreator(
                docker, containers, unstarted, node, images, volumes, events, retries, setup),
            backOff,
            events,
            volumes,
            network,
            retries,
            setup.retryInterval());
    this.killer = new PodKiller(containers, network, unstarted, events, volumes, images);
    this.logs = new ContainerLogs(docker, containers, clock);
    this.changes =
        Flux.merge(
                Flux.merge(
                        new ExitPoller(containers, node).changedPods(pollInterval),
                        backOff.wakeUps(),
                        probing.changedPods(pollInterval))
                    .concatMap(uid -> pod(uid).onErrorResume(e -> Mono.empty())),
                retries
                    .wakeUps()
                    .concatMap(
                        ref ->
                            pod(ref.uid())
                                .onErrorResume(e -> Mono.empty())
                                .defaultIfEmpty(nothingRuns(ref))))
            .share();
  }

  /** The node's Docker network, {@code nauta-<node>}. */
  public String network() {
    return network.name();
  }

  @Override
  public Mono<RuntimePod> syncPod(Pod pod) {
    // The API objects are read first, so the blocking Docker work never waits on the API; while
    // the API does not answer, a pod synced before goes on with the objects of its last sync.
    return inputs
        .fetch(pod)
        .flatMap(
            objects ->
                blocking(
                    () -> {
                      network.ensure();
                      String uid = pod.getMetadata().getUid();
                      // A sync that changed nothing read what runs already: no second look.
                      PodContainers unchanged = sync.sync(pod, objects);
                      return unchanged != null ? reader.read(uid, unchanged) : reader.read(uid);
                    }));
  }

  /** {@code GET /_ping} on the engine. */
  @Override
  public Mono<Void> ping() {
    return blocking(
            () -> {
              docker.pingCmd().exec();
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> stopPod(String podUid) {
    return killer.stop(podUid);
  }

  @Override
  public Mono<Void> killPod(String podUid, Duration gracePeriod) {
    return killer.kill(podUid, gracePeriod).doOnSuccess(v -> inputs.forget(podUid));
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
  public Mono<ContainerStreams> exec(String podUid, String container, StreamRequest request) {
    return running(podUid, container)
        .flatMap(c -> DockerStreams.exec(docker, DockerClients.host(docker), c.id(), request));
  }

  @Override
  public Mono<ContainerStreams> attach(String podUid, String container, StreamRequest request) {
    return running(podUid, container)
        .flatMap(
            c -> {
              Boolean tty =
                  c.inspect().getConfig() == null ? null : c.inspect().getConfig().getTty();
              return DockerStreams.attach(
                  docker, DockerClients.host(docker), c.id(), Boolean.TRUE.equals(tty), request);
            });
  }

  /**
   * The pod's IP on the node's bridge, which this agent's host reaches: the port inside the pod's
   * network namespace (the kubelet enters the namespace instead; a port bound to the pod's loopback
   * only is not reached this way). With the host's network, the host's address.
   */
  @Override
  public Mono<java.net.InetSocketAddress> portForwardTarget(
      io.fabric8.kubernetes.api.model.Pod pod, int port) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return Mono.error(new IllegalStateException("the pod has no IP address yet"));
    }
    return Mono.just(new java.net.InetSocketAddress(ip, port));
  }

  /** The container's running instance; fails with the kubelet's words when it does not run. */
  private Mono<PodContainer> running(String podUid, String container) {
    return threads
        .call(
            () -> {
              PodContainers pod = containers.ofPod(podUid);
              return java.util.Optional.ofNullable(pod == null ? null : pod.latest(container));
            })
        .flatMap(
            found ->
                found.isPresent() && found.get().running()
                    ? Mono.just(found.get())
                    : Mono.error(
                        new IllegalStateException("container not found (\"" + container + "\")")));
  }

  @Override
  public Flux<byte[]> logs(String podUid, String container, LogOptions options) {
    return logs.read(podUid, container, options);
  }

  @Override
  public Flux<RuntimePod> changes() {
    return changes;
  }

  /** A pod with nothing on Docker yet (its volumes wait), so its key still reaches the workers. */
  private static RuntimePod nothingRuns(PodEvents.PodRef ref) {
    return new RuntimePod(ref.uid(), ref.namespace(), ref.name(), null, null, List.of(), List.of());
  }

  private <T> Mono<T> blocking(Callable<T> call) {
    return threads.call(call);
  }
}
