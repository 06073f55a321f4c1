package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.logs.LogOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A runtime that runs nothing (Kubernetes' kubemark and kwok idea): a pod gets an IP from the
 * node's range at once; its init containers complete at once and its containers turn running after
 * {@code startDelay}, and then run until the pod is killed. Cheap enough for thousands of pods on
 * hundreds of simulated nodes in one JVM.
 */
public final class SimulatedRuntime implements ContainerRuntime {

  private final PodCidr cidr;
  private final Duration startDelay;
  private final Clock clock;
  private final Map<String, RuntimePod> pods = new ConcurrentHashMap<>();
  private final Sinks.Many<RuntimePod> changes = Sinks.many().multicast().directBestEffort();

  public SimulatedRuntime(PodCidr cidr, Duration startDelay, Clock clock) {
    this.cidr = cidr;
    this.startDelay = startDelay;
    this.clock = clock;
  }

  @Override
  public Mono<RuntimePod> syncPod(Pod pod) {
    return Mono.fromCallable(
        () -> {
          String uid = pod.getMetadata().getUid();
          RuntimePod existing = pods.get(uid);
          if (existing != null) {
            return existing;
          }
          Instant now = now();
          boolean startNow = startDelay.isZero() || startDelay.isNegative();
          List<RuntimeContainer> init =
              containers(pod.getSpec().getInitContainers()).stream()
                  .map(c -> container(c, ContainerState.Terminated.completed(now, now)))
                  .toList();
          List<RuntimeContainer> app =
              containers(pod.getSpec().getContainers()).stream()
                  .map(
                      c ->
                          container(
                              c,
                              startNow
                                  ? new ContainerState.Running(now)
                                  : new ContainerState.Waiting("ContainerCreating", null)))
                  .toList();
          RuntimePod created =
              new RuntimePod(
                  uid,
                  pod.getMetadata().getNamespace(),
                  pod.getMetadata().getName(),
                  cidr.allocate(),
                  now,
                  init,
                  app);
          pods.put(uid, created);
          if (!startNow) {
            Mono.delay(startDelay).subscribe(t -> startContainers(uid));
          }
          return created;
        });
  }

  private void startContainers(String uid) {
    Instant now = now();
    RuntimePod started =
        pods.computeIfPresent(
            uid,
            (k, p) ->
                new RuntimePod(
                    p.uid(),
                    p.namespace(),
                    p.name(),
                    p.ip(),
                    p.createdAt(),
                    p.initContainers(),
                    p.containers().stream()
                        .map(
                            c ->
                                c.running()
                                    ? c
                                    : new RuntimeContainer(
                                        c.name(),
                                        c.image(),
                                        c.imageId(),
                                        c.containerId(),
                                        new ContainerState.Running(now),
                                        c.lastTermination(),
                                        c.restartCount()))
                        .toList()));
    if (started != null) {
      changes.emitNext(started, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }
  }

  /** Simulated containers never finish on their own, and keep nothing to read: nothing to do. */
  @Override
  public Mono<Void> stopPod(String podUid) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> killPod(String podUid, Duration gracePeriod) {
    // Nothing runs, so nothing needs the grace period: the pod stops at once.
    return Mono.fromRunnable(
        () -> {
          RuntimePod removed = pods.remove(podUid);
          if (removed != null) {
            cidr.release(removed.ip());
          }
        });
  }

  @Override
  public Mono<RuntimePod> pod(String podUid) {
    return Mono.fromCallable(() -> pods.get(podUid));
  }

  @Override
  public Flux<RuntimePod> pods() {
    return Flux.defer(() -> Flux.fromIterable(List.copyOf(pods.values())));
  }

  /** Simulated containers run no process, so they write nothing: every log is empty. */
  @Override
  public Flux<byte[]> logs(String podUid, String container, LogOptions options) {
    return Flux.empty();
  }

  @Override
  public Flux<RuntimePod> changes() {
    return changes.asFlux();
  }

  private static List<Container> containers(List<Container> list) {
    return list == null ? List.of() : list;
  }

  private static RuntimeContainer container(Container spec, ContainerState state) {
    return new RuntimeContainer(
        spec.getName(),
        spec.getImage(),
        imageId(spec.getImage()),
        "simulated://" + UUID.randomUUID().toString().replace("-", ""),
        state,
        null,
        0);
  }

  /** A stable, made-up digest per image name, shaped like a real image id. */
  private static String imageId(String image) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(String.valueOf(image).getBytes(StandardCharsets.UTF_8));
      return "simulated://" + image + "@sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
