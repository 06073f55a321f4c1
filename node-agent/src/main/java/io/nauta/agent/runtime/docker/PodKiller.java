package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.model.Container;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodEvents.PodRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stops a pod's running containers within its grace period (all at once, as the kubelet does:
 * SIGTERM, and SIGKILL for what still runs when the period is over), then removes them and its
 * sandbox, releasing the pod's IP, and, last, its volumes ({@link PodVolumes#remove}).
 */
final class PodKiller {

  /** How often a pod being stopped is looked at for containers that are still running. */
  static final Duration EXIT_CHECK = Duration.ofMillis(250);

  private final DockerContainers containers;
  private final NodeNetwork network;
  private final UnstartedContainers unstarted;
  private final PodEvents events;
  private final PodVolumes volumes;
  private final ImagePuller images;

  PodKiller(
      DockerContainers containers,
      NodeNetwork network,
      UnstartedContainers unstarted,
      PodEvents events,
      PodVolumes volumes,
      ImagePuller images) {
    this.containers = containers;
    this.network = network;
    this.unstarted = unstarted;
    this.events = events;
    this.volumes = volumes;
    this.images = images;
  }

  Mono<Void> kill(String uid, Duration grace) {
    return containers
        .threads()
        .stop(
            () -> {
              network.ensure();
              return containers.list(Map.of(DockerLabels.POD_UID, uid));
            })
        .flatMap(
            all -> {
              List<Container> running =
                  all.stream()
                      .filter(c -> !DockerContainers.isSandbox(c) && "running".equals(c.getState()))
                      .toList();
              return containers
                  .threads()
                  .stop(
                      () -> {
                        for (Container c : running) {
                          events.normal(
                              new PodRef(
                                  c.getLabels().get(DockerLabels.POD_NAMESPACE),
                                  c.getLabels().get(DockerLabels.POD_NAME),
                                  uid),
                              "Killing",
                              "Stopping container "
                                  + c.getLabels().get(DockerLabels.CONTAINER_NAME));
                          containers.signal(c.getId(), "SIGTERM");
                        }
                        return true;
                      })
                  .then(exited(uid, running, grace))
                  .then(
                      containers
                          .threads()
                          .stop(
                              () -> {
                                // What outlived its grace period is killed, as docker stop would.
                                for (String id : stillRunning(uid, running)) {
                                  containers.signal(id, "SIGKILL");
                                }
                                removeAll(uid, all);
                                return true;
                              }));
            })
        .then();
  }

  /**
   * Completes when none of {@code running} runs any more, or when {@code grace} is over: looked at
   * every {@link #EXIT_CHECK}, so no thread waits out the grace period (a blocking {@code docker
   * stop -t 30} held one for 30 s).
   */
  private Mono<Void> exited(String uid, List<Container> running, Duration grace) {
    if (running.isEmpty()) {
      return Mono.empty();
    }
    return Flux.interval(EXIT_CHECK, EXIT_CHECK)
        // A look that takes longer than the period (a busy engine) skips ticks: without this the
        // interval fails with an OverflowException and the pod's stop is retried from the start.
        .onBackpressureDrop()
        .concatMap(t -> containers.threads().stop(() -> stillRunning(uid, running).isEmpty()))
        .takeUntil(allExited -> allExited)
        .then()
        .timeout(grace, Mono.empty());
  }

  private List<String> stillRunning(String uid, List<Container> running) {
    List<String> ids = running.stream().map(Container::getId).toList();
    return containers.list(Map.of(DockerLabels.POD_UID, uid)).stream()
        .filter(c -> ids.contains(c.getId()) && "running".equals(c.getState()))
        .map(Container::getId)
        .toList();
  }

  /**
   * Stops the pod's running containers at once, the sandbox last, and keeps them all (for status
   * and logs) but gives the sandbox's IP back, as the kubelet tears down a finished pod's sandbox
   * network: the stopped sandbox is taken off the node's network, so neither Docker nor this agent
   * (after a restart, {@link NodeNetwork#ensure}) counts its address as taken any longer.
   */
  Mono<Void> stop(String uid) {
    return containers
        .threads()
        .stop(
            () -> {
              List<Container> all = containers.list(Map.of(DockerLabels.POD_UID, uid));
              for (boolean sandboxes : new boolean[] {false, true}) {
                for (Container c : all) {
                  if (DockerContainers.isSandbox(c) == sandboxes
                      && "running".equals(c.getState())) {
                    containers.stop(c.getId(), Duration.ZERO);
                  }
                }
              }
              for (Container c : all) {
                String ip = DockerContainers.isSandbox(c) ? network.ip(c) : null;
                // Null once disconnected: a repeated stop never releases an address twice.
                if (ip != null && network.disconnect(c.getId())) {
                  network.cidr().release(ip);
                }
              }
              return true;
            })
        .then();
  }

  private void removeAll(String uid, List<Container> all) {
    String sandboxIp = null;
    for (Container c : all) {
      if (DockerContainers.isSandbox(c)) {
        sandboxIp = network.ip(c);
      } else {
        containers.remove(c.getId());
      }
    }
    for (Container c : all) {
      if (DockerContainers.isSandbox(c)) {
        containers.remove(c.getId());
      }
    }
    if (sandboxIp != null) {
      network.cidr().release(sandboxIp);
    }
    unstarted.forget(uid);
    images.forget(uid);
    containers.forget(uid);
    // Last: a container still running could write into an emptyDir removed under it.
    volumes.remove(uid);
  }
}
