package io.nauta.agent.stats;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.app.AgentProperties;
import io.nauta.agent.node.AgentNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Samples every node of this process every {@code interval} in the background and keeps the latest
 * {@link Usage.Node} of each, so a scrape only serialises what is there (the kubelet's summary
 * provider reads cAdvisor's cache the same way). Each sample keeps the previous one to turn
 * cumulative CPU time into {@code usageNanoCores}. Sample times are whole seconds, as the Summary
 * API's timestamps are, so a scraper deriving rates from them divides by the time the counters
 * really span.
 */
public final class StatsSampler implements AutoCloseable {

  private static final Log log = LogFactory.getLog(StatsSampler.class);

  /** How many nodes are sampled at once; each bounds its own container calls. */
  private static final int NODES_AT_ONCE = 4;

  private final Map<String, NodeMeter> meters;
  private final Clock clock;
  private final Map<String, Usage.Node> latest = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Reading>> previous = new ConcurrentHashMap<>();
  private final Map<String, HostSample> previousHost = new ConcurrentHashMap<>();
  private final Runnable onClose;
  private Disposable running;

  private record HostSample(Instant time, HostUsage.Reading reading) {}

  StatsSampler(Map<String, NodeMeter> meters, Clock clock, Runnable onClose) {
    this.meters = new LinkedHashMap<>(meters);
    this.clock = clock;
    this.onClose = onClose;
  }

  /**
   * A sampler of these nodes: simulated ones through {@link UsageModel} (their pods' annotations
   * read from {@code pods}), Docker ones from the engine, {@code settings.concurrency()} stats
   * calls at once on threads of their own.
   *
   * @param docker the nodes' Docker client, or null on the simulated runtime
   */
  public static StatsSampler of(
      List<AgentNode> nodes,
      DockerClient docker,
      BiFunction<String, String, Optional<Pod>> pods,
      AgentProperties.Stats settings,
      Clock clock) {
    Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Map<String, NodeMeter> meters = new LinkedHashMap<>();
    if (docker == null) {
      nodes.forEach(n -> meters.put(n.name(), new SimulatedMeter(n.runtime(), pods, started)));
      return new StatsSampler(meters, clock, () -> {});
    }
    Scheduler threads =
        Schedulers.newBoundedElastic(
            settings.concurrency(), Integer.MAX_VALUE, "stats-sampler", 60, true);
    HostUsage host = new HostUsage(Path.of("/proc"));
    nodes.forEach(
        n ->
            meters.put(
                n.name(),
                new DockerMeter(docker, n.name(), threads, settings.concurrency(), host, started)));
    return new StatsSampler(meters, clock, threads::dispose);
  }

  /** Samples now, then every {@code interval}. */
  public synchronized StatsSampler start(Duration interval) {
    if (running == null) {
      running =
          Flux.interval(Duration.ZERO, interval)
              .onBackpressureDrop()
              .concatMap(tick -> sampleAll(), 0)
              .subscribe();
    }
    return this;
  }

  /** One sampling of every node. */
  Mono<Void> sampleAll() {
    return Flux.fromIterable(meters.keySet())
        .flatMap(
            node ->
                sample(node)
                    .onErrorResume(
                        e -> {
                          log.debug("sampling node " + node + " failed: " + e.getMessage());
                          return Mono.empty();
                        }),
            NODES_AT_ONCE)
        .then();
  }

  /** The latest summary of a node of this process; an empty one before its first sample. */
  public Usage.Node summary(String node) {
    Usage.Node summary = latest.get(node);
    if (summary != null) {
      return summary;
    }
    NodeMeter meter = meters.get(node);
    Instant now = now();
    return Usage.Node.empty(node, meter == null ? now : meter.startTime(), now);
  }

  private Mono<Void> sample(String node) {
    NodeMeter meter = meters.get(node);
    Instant now = now();
    Map<String, Reading> before = previous.getOrDefault(node, Map.of());
    return meter
        .containers(now, before)
        .map(
            readings -> {
              Map<String, Reading> next = new HashMap<>();
              readings.forEach(r -> next.put(r.key(), r));
              previous.put(node, next);
              HostUsage.Reading host = meter.node();
              latest.put(node, summarize(node, meter.startTime(), now, readings, before, host));
              return node;
            })
        .then();
  }

  private Usage.Node summarize(
      String node,
      Instant startTime,
      Instant now,
      List<Reading> readings,
      Map<String, Reading> before,
      HostUsage.Reading host) {
    Map<String, List<Reading>> byPod = new LinkedHashMap<>();
    for (Reading r : readings) {
      byPod.computeIfAbsent(r.podUid(), k -> new ArrayList<>()).add(r);
    }
    List<Usage.Pod> pods = new ArrayList<>();
    for (List<Reading> pod : byPod.values()) {
      List<Usage.Container> containers = new ArrayList<>();
      for (Reading r : pod) {
        containers.add(
            new Usage.Container(
                r.container(),
                r.containerStart(),
                new Usage.Cpu(now, rate(r, before.get(r.key())), r.coreNanoSeconds()),
                new Usage.Memory(now, r.workingSetBytes(), r.usageBytes(), null, null)));
      }
      Reading first = pod.get(0);
      pods.add(
          new Usage.Pod(
              first.namespace(),
              first.podName(),
              first.podUid(),
              first.podStart(),
              containers,
              sumCpu(now, containers),
              sumMemory(now, containers)));
    }
    Usage.Cpu cpu;
    Usage.Memory memory;
    if (host != null) {
      HostSample last = previousHost.put(node, new HostSample(now, host));
      cpu =
          new Usage.Cpu(
              now,
              last == null
                  ? null
                  : CpuRate.nanoCores(
                      last.time(), last.reading().coreNanoSeconds(), now, host.coreNanoSeconds()),
              host.coreNanoSeconds());
      memory =
          new Usage.Memory(
              now,
              host.workingSetBytes(),
              host.usageBytes(),
              host.rssBytes(),
              host.availableBytes());
    } else {
      List<Usage.Container> all = pods.stream().flatMap(p -> p.containers().stream()).toList();
      cpu = sumCpu(now, all);
      Usage.Memory sum = sumMemory(now, all);
      memory =
          new Usage.Memory(now, sum.workingSetBytes(), sum.usageBytes(), sum.usageBytes(), null);
    }
    return new Usage.Node(node, startTime, cpu, memory, pods);
  }

  private static Long rate(Reading r, Reading before) {
    if (r.nanoCores() != null) {
      return r.nanoCores();
    }
    return before == null
        ? null
        : CpuRate.nanoCores(before.time(), before.coreNanoSeconds(), r.time(), r.coreNanoSeconds());
  }

  private static Usage.Cpu sumCpu(Instant now, List<Usage.Container> containers) {
    long total = 0;
    Long rate = 0L;
    for (Usage.Container c : containers) {
      total += c.cpu().coreNanoSeconds();
      rate = rate == null || c.cpu().nanoCores() == null ? null : rate + c.cpu().nanoCores();
    }
    return new Usage.Cpu(now, rate, total);
  }

  private static Usage.Memory sumMemory(Instant now, List<Usage.Container> containers) {
    long workingSet = 0;
    long usage = 0;
    for (Usage.Container c : containers) {
      workingSet += c.memory().workingSetBytes();
      usage += c.memory().usageBytes();
    }
    return new Usage.Memory(now, workingSet, usage, null, null);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.dispose();
      running = null;
    }
    onClose.run();
  }
}
