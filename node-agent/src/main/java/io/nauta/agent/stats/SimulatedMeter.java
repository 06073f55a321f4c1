package io.nauta.agent.stats;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * A simulated node's containers, used as {@link UsageModel} says: a running container's CPU counter
 * advances by its rate over each interval (from its start on the first sample), so a scraper that
 * derives the rate from two counters gets the model's figure; memory is the model's constant,
 * working set and usage alike.
 */
final class SimulatedMeter implements NodeMeter {

  private final ContainerRuntime runtime;
  private final BiFunction<String, String, Optional<Pod>> pods;
  private final Instant startTime;

  /**
   * @param pods the bound pod of a namespace and name (the agent's informer), for its annotation
   */
  SimulatedMeter(
      ContainerRuntime runtime, BiFunction<String, String, Optional<Pod>> pods, Instant startTime) {
    this.runtime = runtime;
    this.pods = pods;
    this.startTime = startTime;
  }

  @Override
  public Instant startTime() {
    return startTime;
  }

  @Override
  public Mono<List<Reading>> containers(Instant now, Map<String, Reading> previous) {
    return runtime.pods().collectList().map(all -> read(all, now, previous));
  }

  List<Reading> read(List<RuntimePod> all, Instant now, Map<String, Reading> previous) {
    List<Reading> readings = new ArrayList<>();
    for (RuntimePod pod : all) {
      Map<String, UsageModel.Rate> rates =
          UsageModel.of(pods.apply(pod.namespace(), pod.name()).orElse(null));
      for (RuntimeContainer c : pod.containers()) {
        if (!(c.state() instanceof ContainerState.Running running)) {
          continue;
        }
        UsageModel.Rate rate = UsageModel.rate(rates, c.name());
        String key = pod.uid() + "/" + c.name() + "/" + c.restartCount();
        Reading before = previous.get(key);
        // Advance from the last sample at the rate in force now: a changed annotation bends the
        // counter from here on instead of rewriting its past.
        Instant from = before != null ? before.time() : running.startedAt();
        long base = before != null ? before.coreNanoSeconds() : 0;
        long elapsed = Math.max(0, Duration.between(from, now).toNanos());
        long cpu = base + Math.round((double) rate.nanoCores() * elapsed / 1e9);
        readings.add(
            new Reading(
                key,
                now,
                pod.uid(),
                pod.namespace(),
                pod.name(),
                pod.createdAt(),
                c.name(),
                running.startedAt(),
                cpu,
                rate.nanoCores(),
                rate.memoryBytes(),
                rate.memoryBytes()));
      }
    }
    return readings;
  }
}
