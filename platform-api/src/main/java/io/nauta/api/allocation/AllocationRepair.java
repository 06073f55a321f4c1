package io.nauta.api.allocation;

import io.nauta.api.allocation.ServiceAllocator.Pool;
import io.nauta.api.config.NautaProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' cluster IP and node port repair controllers: periodically compares the allocations
 * with the stored services, marks values that existing services use but the pool lost (after a
 * Redis restore, or from before allocation existed), and frees values no service refers to any more
 * (a write that claimed and then died, a release lost to a crash). A value claimed less than one
 * period ago is left alone: its write may still be on its way.
 */
@Component
public class AllocationRepair implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(AllocationRepair.class);

  private final ServiceAllocator allocator;
  private final Duration interval;
  private final JsonMapper mapper = JsonMapper.builder().build();
  private volatile Disposable running;

  public AllocationRepair(ServiceAllocator allocator, NautaProperties props) {
    this.allocator = allocator;
    this.interval = props.services().repairInterval();
  }

  /** One pass over both pools; returns how many allocations it marked plus freed. */
  public Mono<Integer> repairOnce() {
    return allocator
        .storedServices()
        .flatMap(
            services -> {
              Map<String, Set<String>> ips = new HashMap<>();
              Map<String, Set<String>> ports = new HashMap<>();
              services.forEach(
                  (key, stored) -> {
                    ObjectNode svc =
                        (ObjectNode) mapper.readTree(stored.substring(stored.indexOf(' ') + 1));
                    ips.put(key, ServiceAllocations.clusterIps(svc));
                    Set<String> p = new HashSet<>();
                    ServiceAllocations.nodePorts(svc).forEach(n -> p.add(Integer.toString(n)));
                    ports.put(key, p);
                  });
              return repair(Pool.CLUSTER_IP, ips)
                  .zipWith(repair(Pool.NODE_PORT, ports), Integer::sum);
            });
  }

  private Mono<Integer> repair(Pool pool, Map<String, Set<String>> used) {
    AllocationRange range = allocator.range(pool);
    long cutoff = System.currentTimeMillis() - interval.toMillis();
    return allocator
        .allocations(pool)
        .flatMap(
            allocated -> {
              Flux<Integer> marks =
                  Flux.fromIterable(used.entrySet())
                      .flatMapIterable(
                          e -> e.getValue().stream().map(v -> Map.entry(e.getKey(), v)).toList())
                      .filter(e -> range.contains(e.getValue()))
                      .filter(e -> !allocated.containsKey(e.getValue()))
                      .concatMap(
                          e ->
                              allocator
                                  .mark(pool, e.getKey(), e.getValue())
                                  .doOnNext(
                                      ok -> {
                                        if (ok) {
                                          log.info(
                                              pool
                                                  + " "
                                                  + e.getValue()
                                                  + " of "
                                                  + e.getKey()
                                                  + " was not marked allocated: repaired");
                                        }
                                      })
                                  .map(ok -> ok ? 1 : 0));
              Flux<Integer> frees =
                  Flux.fromIterable(allocated.entrySet())
                      .filter(
                          e -> {
                            String[] holder = e.getValue().split(" ", 2);
                            long at = holder.length > 1 ? parse(holder[1]) : 0;
                            return at < cutoff
                                && !used.getOrDefault(holder[0], Set.of()).contains(e.getKey());
                          })
                      .concatMap(
                          e -> {
                            String owner = e.getValue().split(" ", 2)[0];
                            return allocator
                                .release(pool, owner, List.of(e.getKey()))
                                .doOnNext(
                                    n -> {
                                      if (n > 0) {
                                        log.info(
                                            pool
                                                + " "
                                                + e.getKey()
                                                + " held for "
                                                + owner
                                                + ", which does not use it: freed");
                                      }
                                    })
                                .map(Long::intValue);
                          });
              return marks.concatWith(frees).reduce(0, Integer::sum);
            });
  }

  private static long parse(String millis) {
    try {
      return Long.parseLong(millis.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void start() {
    running =
        Flux.interval(Duration.ofSeconds(1), interval, Schedulers.parallel())
            .onBackpressureDrop()
            .concatMap(
                t ->
                    repairOnce()
                        .onErrorResume(
                            e -> {
                              log.warn("service allocation repair failed: " + e);
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable d = running;
    if (d != null) {
      d.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
