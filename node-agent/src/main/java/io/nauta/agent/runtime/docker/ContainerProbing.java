package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.nauta.agent.probes.ContainerProbes;
import io.nauta.agent.probes.ProbeFailure;
import io.nauta.agent.probes.ProbeKind;
import io.nauta.agent.probes.ProbeTarget;
import io.nauta.agent.probes.Prober;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodEvents.PodRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Runs the probes of the node's running containers (those labelled {@link DockerLabels#PROBES})
 * every tick: each container run gets its own {@link ContainerProbes}, dropped when it stops, and
 * its runs go on independently of every other container's, as the kubelet has a probe worker per
 * container: a tick starts the runs of the containers whose last run has ended and waits for none
 * of them, so one slow probe (an exec that hangs for its whole timeout) delays no other. A
 * container whose liveness or startup probe failed is stopped within its grace period, as the
 * kubelet kills it; the pod's sync then restarts it per its {@code restartPolicy}. Emits the pods
 * whose containers turned started, ready, unready or unhealthy, so their status is written. Every
 * failed run is an {@code Unhealthy} event and every kill a {@code Killing} one, as the kubelet
 * records them.
 */
final class ContainerProbing {

  private static final Log log = LogFactory.getLog(ContainerProbing.class);

  private record Probed(
      String uid,
      ContainerProbes probes,
      List<io.fabric8.kubernetes.api.model.ContainerPort> ports,
      Duration grace) {}

  private final DockerClient docker;
  private final DockerContainers containers;
  private final NodeNetwork network;
  private final Prober prober;
  private final String node;
  private final Clock clock;
  private final PodEvents events;

  /** The probes of every running container with probes, by container id. */
  private final Map<String, Probed> running = new ConcurrentHashMap<>();

  /** Containers being stopped for failing a probe. */
  private final Set<String> killing = ConcurrentHashMap.newKeySet();

  /** Containers whose probe run has not ended yet: ticks leave them be until it has. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /** Pods whose probes changed something, as each run ends. */
  private final Sinks.Many<String> changed =
      Sinks.many().multicast().onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);

  ContainerProbing(
      DockerClient docker,
      DockerContainers containers,
      NodeNetwork network,
      Prober prober,
      String node,
      Clock clock,
      PodEvents events) {
    this.docker = docker;
    this.containers = containers;
    this.network = network;
    this.prober = prober;
    this.node = node;
    this.clock = clock;
    this.events = events;
  }

  /** Whether the container passed its startup probe (one without is started when running). */
  boolean started(PodContainer c) {
    ContainerProbes p = probes(c);
    return p == null || p.started();
  }

  /** Whether the container passed its readiness probe (one without is ready when started). */
  boolean ready(PodContainer c) {
    ContainerProbes p = probes(c);
    return p == null || p.ready();
  }

  /** The uids of pods whose probes changed something, looking every {@code interval}. */
  Flux<String> changedPods(Duration interval) {
    Flux<String> ticks =
        Flux.interval(interval, interval)
            .onBackpressureDrop()
            .concatMap(
                t ->
                    tick()
                        .onErrorResume(
                            e -> {
                              log.warn("probing the containers of node " + node + " failed: " + e);
                              return Mono.empty();
                            })
                        .then(Mono.<String>empty()),
                0);
    return Flux.merge(ticks, changed.asFlux());
  }

  private ContainerProbes probes(PodContainer c) {
    Probed p = running.get(c.id());
    if (p != null) {
      return p.probes();
    }
    var spec = ProbeLabels.spec(c.inspect().getConfig().getLabels());
    // Not probed yet: what its probes say before their first run.
    return spec == null ? null : new ContainerProbes(spec, clock.instant());
  }

  /** Starts the due runs of every probed container whose last run has ended; waits for none. */
  private Mono<Void> tick() {
    return containers
        .threads()
        .call(() -> containers.list(Map.of(DockerLabels.NODE, node)))
        .doOnNext(
            all -> {
              Map<String, String> podIps = new HashMap<>();
              for (Container c : all) {
                if (DockerContainers.isSandbox(c)) {
                  podIps.put(c.getLabels().get(DockerLabels.POD_UID), network.podIp(c));
                }
              }
              Set<String> ids = ConcurrentHashMap.newKeySet();
              for (Container c : all) {
                if ("running".equals(c.getState())
                    && c.getLabels().containsKey(DockerLabels.PROBES)) {
                  ids.add(c.getId());
                }
              }
              running.keySet().retainAll(ids);
              killing.retainAll(ids);
              Instant now = clock.instant();
              for (Container c : all) {
                if (ids.contains(c.getId())
                    && !killing.contains(c.getId())
                    && inFlight.add(c.getId())) {
                  probe(c, podIps.get(c.getLabels().get(DockerLabels.POD_UID)), now)
                      .doFinally(s -> inFlight.remove(c.getId()))
                      .subscribe(
                          this::changed,
                          e -> log.warn("probing container " + c.getId() + " failed: " + e));
                }
              }
            })
        .then();
  }

  private Mono<String> probe(Container c, String podIp, Instant now) {
    return containers
        .threads()
        .call(() -> running.computeIfAbsent(c.getId(), id -> probed(c)))
        .flatMap(
            p ->
                p.probes()
                    .run(prober, new ProbeTarget(c.getId(), podIp, p.ports()), now)
                    .flatMap(
                        run -> {
                          PodRef pod = pod(c);
                          for (ProbeFailure f : run.failures()) {
                            events.warning(pod, "Unhealthy", f.eventMessage());
                          }
                          ProbeKind by = p.probes().unhealthyBy();
                          if (by != null && killing.add(c.getId())) {
                            events.normal(
                                pod,
                                "Killing",
                                "Container "
                                    + c.getLabels().get(DockerLabels.CONTAINER_NAME)
                                    + " failed "
                                    + by.title().toLowerCase(java.util.Locale.ROOT)
                                    + " probe, will be restarted");
                            // In the background: a stop can take the whole grace period.
                            kill(c, p)
                                .subscribe(
                                    null,
                                    e ->
                                        log.warn(
                                            "stopping container " + c.getId() + " failed: " + e));
                          }
                          return run.changed() ? Mono.just(p.uid()) : Mono.empty();
                        }));
  }

  /** Runs end on many threads; a change nobody listens to is dropped (statuses are re-read). */
  private void changed(String uid) {
    synchronized (changed) {
      changed.tryEmitNext(uid);
    }
  }

  private static PodRef pod(Container c) {
    Map<String, String> labels = c.getLabels();
    return new PodRef(
        labels.get(DockerLabels.POD_NAMESPACE),
        labels.get(DockerLabels.POD_NAME),
        labels.get(DockerLabels.POD_UID));
  }

  private Probed probed(Container c) {
    var spec = ProbeLabels.spec(c.getLabels());
    Instant startedAt;
    try {
      startedAt =
          PodContainer.time(docker.inspectContainerCmd(c.getId()).exec().getState().getStartedAt());
    } catch (NotFoundException e) {
      startedAt = null;
    }
    long grace = PodContainer.intLabel(c.getLabels(), DockerLabels.PROBE_GRACE_PERIOD);
    return new Probed(
        c.getLabels().get(DockerLabels.POD_UID),
        new ContainerProbes(spec, startedAt == null ? clock.instant() : startedAt),
        spec.getPorts(),
        Duration.ofSeconds(grace));
  }

  /** Stops a container that failed its liveness or startup probe; its pod's sync restarts it. */
  private Mono<Void> kill(Container c, Probed p) {
    log.info(
        "container "
            + c.getLabels().get(DockerLabels.CONTAINER_NAME)
            + " of pod "
            + c.getLabels().get(DockerLabels.POD_NAMESPACE)
            + "/"
            + c.getLabels().get(DockerLabels.POD_NAME)
            + " failed its "
            + (p.probes().started() ? "liveness" : "startup")
            + " probe, will be restarted");
    return containers
        .threads()
        .call(
            () -> {
              containers.stop(c.getId(), p.grace());
              return true;
            })
        .then();
  }
}
