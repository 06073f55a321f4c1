package io.nauta.agent.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.core.InvocationBuilder;
import io.nauta.agent.runtime.docker.DockerLabels;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A Docker node's running containers, read from the engine: one list of the node's running
 * containers, then one one-shot stats call ({@code stream=false}) per container, at most {@code
 * concurrency} at once on the samplers' own threads, so sampling never takes a thread a pod's start
 * waits for. Working set = usage − inactive file pages, as cAdvisor computes it. The node's own
 * figures are the host's ({@link HostUsage}).
 */
final class DockerMeter implements NodeMeter {

  private final DockerClient docker;
  private final String node;
  private final Scheduler threads;
  private final int concurrency;
  private final HostUsage host;
  private final Instant startTime;

  DockerMeter(
      DockerClient docker,
      String node,
      Scheduler threads,
      int concurrency,
      HostUsage host,
      Instant agentStart) {
    this.docker = docker;
    this.node = node;
    this.threads = threads;
    this.concurrency = concurrency;
    this.host = host;
    Instant boot = host.bootTime();
    this.startTime = boot != null ? boot : agentStart;
  }

  @Override
  public Instant startTime() {
    return startTime;
  }

  @Override
  public HostUsage.Reading node() {
    try {
      return host.read();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public Mono<List<Reading>> containers(Instant now, Map<String, Reading> previous) {
    return Mono.fromCallable(
            () ->
                docker.listContainersCmd().withLabelFilter(Map.of(DockerLabels.NODE, node)).exec())
        .subscribeOn(threads)
        .flatMapMany(
            running -> {
              Map<String, Instant> sandboxes = new HashMap<>();
              for (Container c : running) {
                if (DockerLabels.SANDBOX.equals(c.getLabels().get(DockerLabels.CONTAINER_NAME))) {
                  sandboxes.put(c.getLabels().get(DockerLabels.POD_UID), created(c));
                }
              }
              return Flux.fromIterable(running)
                  .filter(c -> c.getLabels().get(DockerLabels.CONTAINER_KIND) != null)
                  .flatMap(
                      c ->
                          Mono.fromCallable(() -> read(c, sandboxes, now))
                              .subscribeOn(threads)
                              // Gone between the list and its stats, or the engine hiccuped: the
                              // container is left out of this sample.
                              .onErrorResume(e -> Mono.empty()),
                      concurrency);
            })
        .filter(Objects::nonNull)
        .collectList();
  }

  private Reading read(Container c, Map<String, Instant> sandboxes, Instant now) {
    Statistics stats;
    try (InvocationBuilder.AsyncResultCallback<Statistics> callback =
        docker
            .statsCmd(c.getId())
            .withNoStream(true)
            .exec(new InvocationBuilder.AsyncResultCallback<>())) {
      stats = callback.awaitResult();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (stats == null
        || stats.getCpuStats() == null
        || stats.getCpuStats().getCpuUsage() == null
        || stats.getCpuStats().getCpuUsage().getTotalUsage() == null) {
      // Stopped meanwhile: the engine answers zeros without a CPU reading.
      return null;
    }
    Map<String, String> labels = c.getLabels();
    String uid = labels.get(DockerLabels.POD_UID);
    Instant started = created(c);
    long[] memory = memory(stats.getMemoryStats());
    return new Reading(
        c.getId(),
        readAt(stats.getRead(), now),
        uid,
        labels.get(DockerLabels.POD_NAMESPACE),
        labels.get(DockerLabels.POD_NAME),
        sandboxes.getOrDefault(uid, started),
        labels.get(DockerLabels.CONTAINER_NAME),
        started,
        stats.getCpuStats().getCpuUsage().getTotalUsage(),
        null,
        memory[0],
        memory[1]);
  }

  /** Working set and usage, as cAdvisor: usage less the inactive file pages, never below 0. */
  static long[] memory(MemoryStatsConfig m) {
    if (m == null || m.getUsage() == null) {
      return new long[] {0, 0};
    }
    long usage = m.getUsage();
    StatsConfig s = m.getStats();
    long inactive = 0;
    if (s != null) {
      // cgroup v1 reports total_inactive_file (hierarchy), v2 inactive_file.
      Long v = s.getTotalInactiveFile() != null ? s.getTotalInactiveFile() : s.getInactiveFile();
      inactive = v == null ? 0 : v;
    }
    return new long[] {Math.max(0, usage - inactive), usage};
  }

  /** When the engine read the counters (nanosecond precision), for the rate's divisor. */
  private static Instant readAt(String read, Instant fallback) {
    try {
      Instant at = read == null ? null : java.time.OffsetDateTime.parse(read).toInstant();
      // A stopped container's stats carry the zero time.
      return at == null || at.getEpochSecond() <= 0 ? fallback : at;
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  private static Instant created(Container c) {
    return c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated());
  }
}
