package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.nauta.agent.runtime.volumes.ClaimedVolume;
import io.nauta.core.logs.LogOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 *
 * <p>A pod's {@code persistentVolumeClaim} volumes are checked as the Docker runtime checks them,
 * without the file system (simulated volumes exist only as PersistentVolumes): until every claim is
 * Bound to a volume that names it, the pod runs nothing, gets a {@code FailedMount} event and is
 * synced again after {@code retryInterval}; then the bind mounts it would make are recorded ({@link
 * #mounts}). The security settings each container would run with are recorded too ({@link
 * #security}).
 */
public final class SimulatedRuntime implements ContainerRuntime {

  /**
   * A bind mount the pod would get: a claim's volume path into a container.
   *
   * @param hostPath the volume's path, with the mount's {@code subPath} when it has one
   */
  public record Mount(
      String container, String volume, String hostPath, String mountPath, boolean readOnly) {}

  private final PodCidr cidr;
  private final Duration startDelay;
  private final Clock clock;
  private final PodInputs inputs;
  private final PodEvents events;
  private final Duration retryInterval;
  private final Map<String, RuntimePod> pods = new ConcurrentHashMap<>();
  private final Map<String, List<Mount>> mounts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, SecuritySettings>> security = new ConcurrentHashMap<>();
  private final java.util.Set<String> retrying = ConcurrentHashMap.newKeySet();
  private final Sinks.Many<RuntimePod> changes = Sinks.many().multicast().directBestEffort();

  /** A runtime without an API server: pods with claims never start. */
  public SimulatedRuntime(PodCidr cidr, Duration startDelay, Clock clock) {
    this(cidr, startDelay, clock, PodInputs.NONE, PodEvents.NONE, Duration.ofSeconds(10));
  }

  /**
   * @param inputs where claims and their volumes are read
   * @param events where {@code FailedMount} goes
   * @param retryInterval how soon a pod whose claim is not bound is synced again
   */
  public SimulatedRuntime(
      PodCidr cidr,
      Duration startDelay,
      Clock clock,
      PodInputs inputs,
      PodEvents events,
      Duration retryInterval) {
    this.cidr = cidr;
    this.startDelay = startDelay;
    this.clock = clock;
    this.inputs = inputs;
    this.events = events;
    this.retryInterval = retryInterval;
  }

  /** The bind mounts of the pod's claims, once it runs (empty before, and after it is killed). */
  public List<Mount> mounts(String podUid) {
    return mounts.getOrDefault(podUid, List.of());
  }

  /**
   * The security settings each container of the pod would run with (init containers too), by
   * container name, once it runs: what the Docker runtime would enforce.
   */
  public Map<String, SecuritySettings> security(String podUid) {
    return security.getOrDefault(podUid, Map.of());
  }

  @Override
  public Mono<RuntimePod> syncPod(Pod pod) {
    RuntimePod existing = pods.get(pod.getMetadata().getUid());
    if (existing != null || PodObjects.claimNames(pod).isEmpty()) {
      return start(pod);
    }
    return PodObjects.fetchClaims(pod, inputs)
        .flatMap(
            claims -> {
              List<Mount> made = claimMounts(pod, claims);
              if (made == null) {
                retryLater(PodEvents.PodRef.of(pod));
                return Mono.empty();
              }
              mounts.put(pod.getMetadata().getUid(), List.copyOf(made));
              return start(pod);
            });
  }

  /** Syncs the pod again after the retry interval: one wake-up pending per pod. */
  private void retryLater(PodEvents.PodRef ref) {
    if (!retrying.add(ref.uid())) {
      return;
    }
    Mono.delay(retryInterval)
        .subscribe(
            t -> {
              retrying.remove(ref.uid());
              changes.emitNext(
                  new RuntimePod(
                      ref.uid(), ref.namespace(), ref.name(), null, null, List.of(), List.of()),
                  Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
            });
  }

  /**
   * The mounts of the pod's claim volumes, or null when a claim is not ready (each such volume gets
   * a {@code FailedMount} event).
   */
  private List<Mount> claimMounts(Pod pod, Map<String, ClaimedVolume> claims) {
    Map<String, ClaimedVolume.Source> sources = new java.util.HashMap<>();
    Map<String, Boolean> readOnly = new java.util.HashMap<>();
    boolean ready = true;
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() == null) {
        continue;
      }
      String claim = v.getPersistentVolumeClaim().getClaimName();
      ClaimedVolume.Source source =
          claims.getOrDefault(claim, ClaimedVolume.MISSING).source(claim, false, false);
      if (source.error() != null) {
        ready = false;
        events.warning(
            PodEvents.PodRef.of(pod),
            "FailedMount",
            "MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + source.error());
        continue;
      }
      sources.put(v.getName(), source);
      readOnly.put(v.getName(), Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()));
    }
    if (!ready) {
      return null;
    }
    List<Mount> made = new ArrayList<>();
    List<Container> all = new ArrayList<>(containers(pod.getSpec().getInitContainers()));
    all.addAll(containers(pod.getSpec().getContainers()));
    for (Container c : all) {
      for (VolumeMount m :
          c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
        ClaimedVolume.Source source = sources.get(m.getName());
        if (source == null) {
          continue;
        }
        String sub = m.getSubPath();
        made.add(
            new Mount(
                c.getName(),
                m.getName(),
                sub == null || sub.isEmpty() ? source.path() : source.path() + "/" + sub,
                m.getMountPath(),
                readOnly.get(m.getName()) || Boolean.TRUE.equals(m.getReadOnly())));
      }
    }
    return made;
  }

  private Mono<RuntimePod> start(Pod pod) {
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
          Map<String, SecuritySettings> settings = new java.util.LinkedHashMap<>();
          containers(pod.getSpec().getInitContainers())
              .forEach(c -> settings.put(c.getName(), SecuritySettings.of(pod, c)));
          containers(pod.getSpec().getContainers())
              .forEach(c -> settings.put(c.getName(), SecuritySettings.of(pod, c)));
          security.put(uid, java.util.Collections.unmodifiableMap(settings));
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
          mounts.remove(podUid);
          security.remove(podUid);
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
