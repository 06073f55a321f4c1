package io.nauta.agent.runtime.docker;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Notices containers that exited (or started, or went away) by listing the node's containers every
 * poll interval and comparing each pod's container ids and states with the last listing.
 */
final class ExitPoller {

  private static final Log log = LogFactory.getLog(ExitPoller.class);

  private final DockerContainers containers;
  private final String node;

  /** The last listing's state per pod uid. */
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  ExitPoller(DockerContainers containers, String node) {
    this.containers = containers;
    this.node = node;
  }

  /** The uids of pods whose containers changed, looked for every {@code interval}. */
  Flux<String> changedPods(Duration interval) {
    return Flux.interval(Duration.ZERO, interval)
        .onBackpressureDrop()
        .concatMap(
            t ->
                containers
                    .threads()
                    .call(this::changedSinceLastLook)
                    .onErrorResume(
                        e -> {
                          log.warn("listing the containers of node " + node + " failed: " + e);
                          return Mono.just(Set.<String>of());
                        }),
            0)
        .flatMapIterable(uids -> uids);
  }

  /** The pods whose containers changed state since the last look (all of them, the first time). */
  Set<String> changedSinceLastLook() {
    Map<String, String> now =
        containers.list(Map.of(DockerLabels.NODE, node)).stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.getLabels().get(DockerLabels.POD_UID),
                    Collectors.mapping(
                        c -> c.getId() + ":" + c.getState(),
                        Collectors.collectingAndThen(
                            Collectors.toList(),
                            l -> l.stream().sorted().collect(Collectors.joining(","))))));
    Set<String> changed =
        now.entrySet().stream()
            .filter(e -> !Objects.equals(seen.get(e.getKey()), e.getValue()))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    seen.keySet().retainAll(now.keySet());
    seen.putAll(now);
    return changed;
  }
}
