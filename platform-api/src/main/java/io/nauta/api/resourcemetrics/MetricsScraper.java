package io.nauta.api.resourcemetrics;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.logs.AgentLogClient;
import io.nauta.api.logs.LogTarget;
import io.nauta.api.logs.PodLogs;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * metrics-server's scraper, inside the API server: every {@code resolution}, the {@code
 * /stats/summary} of each Ready node's agent (reached as {@code pods/log} reaches it: address,
 * credentials, TLS), at most {@code concurrency} at once, each within {@code timeout}. The points
 * live in memory ({@link MetricsStorage}), never in Redis. A node whose scrape fails keeps its last
 * summary until it is {@code 2 × resolution} old; a node gone or not Ready drops out at once.
 * Failures are logged once per node when they start and when they end.
 *
 * <p>Every API server replica scrapes for itself, as every metrics-server replica does: N replicas
 * make N requests per node and resolution.
 */
@Component
public class MetricsScraper implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(MetricsScraper.class);

  private record Scraped(String node, NodeSummary summary, Instant at) {}

  private final ResourceService service;
  private final ObjectCodec codec;
  private final AgentLogClient agents;
  private final ResourceMetricsProperties props;
  private final int defaultPort;
  private final MetricsStorage storage;
  private final Map<String, Scraped> lastGood = new ConcurrentHashMap<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Timer tick;
  private final Counter scraped;
  private final Counter scrapeFailed;
  private volatile Disposable loop;

  public MetricsScraper(
      ResourceService service,
      ObjectCodec codec,
      AgentLogClient agents,
      ResourceMetricsProperties props,
      NautaProperties nauta,
      MeterRegistry meters) {
    this.service = service;
    this.codec = codec;
    this.agents = agents;
    this.props = props;
    this.defaultPort = nauta.kubelet().port();
    this.storage = new MetricsStorage(props.resolution());
    // As metrics-server's metrics_server_manager_tick_duration_seconds and
    // metrics_server_kubelet_request_total: what one round costs, and that it is one request per
    // node and resolution.
    this.tick =
        Timer.builder("nauta.resourcemetrics.tick.duration")
            .description("How long one round of scraping every Ready node took")
            .register(meters);
    this.scraped = requests(meters, "true");
    this.scrapeFailed = requests(meters, "false");
  }

  private static Counter requests(MeterRegistry meters, String success) {
    return Counter.builder("nauta.resourcemetrics.kubelet.requests")
        .description("Requests for a node agent's /stats/summary")
        .tag("success", success)
        .register(meters);
  }

  MetricsStorage storage() {
    return storage;
  }

  @Override
  public void start() {
    if (!props.enabled()) {
      return;
    }
    loop =
        Flux.interval(Duration.ZERO, props.resolution())
            .onBackpressureDrop()
            .concatMap(tick -> scrapeOnce().onErrorResume(this::roundFailed), 1)
            .subscribe();
  }

  private Mono<Void> roundFailed(Throwable e) {
    log.warn("resource metrics: cannot list nodes: " + e.getMessage());
    return Mono.empty();
  }

  @Override
  public void stop() {
    Disposable d = loop;
    if (d != null) {
      d.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    Disposable d = loop;
    return d != null && !d.isDisposed();
  }

  /** One round: every Ready node scraped, the batch stored. */
  Mono<Void> scrapeOnce() {
    ListOptions all = new ListOptions(ObjectFilter.all(), "0", null, 0, null, false, 0);
    return service
        .list(BuiltInResources.NODES, all)
        .flatMapMany(result -> Flux.fromIterable(result.items()))
        .map(CachedObject::node)
        .map(obj -> codec.mapper().treeToValue(obj, Node.class))
        .filter(MetricsScraper::ready)
        .flatMap(this::scrape, Math.max(1, props.concurrency()))
        .collectList()
        .doOnNext(this::store)
        .then()
        .transform(
            round ->
                Mono.defer(
                    () -> {
                      long start = System.nanoTime();
                      return round.doFinally(
                          signal -> tick.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
                    }));
  }

  private void store(List<Scraped> round) {
    Instant stale = Instant.now().minus(props.resolution().multipliedBy(2));
    Map<String, NodeSummary> batch = new HashMap<>();
    Set<String> present = ConcurrentHashMap.newKeySet();
    for (Scraped s : round) {
      present.add(s.node());
      if (s.summary() != null) {
        lastGood.put(s.node(), s);
        batch.put(s.node(), s.summary());
      } else {
        Scraped kept = lastGood.get(s.node());
        if (kept != null && kept.at().isAfter(stale)) {
          batch.put(s.node(), kept.summary());
        }
      }
    }
    lastGood.keySet().retainAll(present);
    failing.retainAll(present);
    storage.store(batch);
  }

  private Mono<Scraped> scrape(Node node) {
    String name = node.getMetadata().getName();
    return Mono.defer(
            () -> {
              String address = LogTarget.agentAddress(node, defaultPort);
              URI uri = PodLogs.agentUri(agents.scheme(), name, address, "/stats/summary");
              return agents.fetch(uri, name);
            })
        .timeout(props.timeout())
        .map(body -> NodeSummary.decode(codec.parse(body)))
        .map(
            summary -> {
              scraped.increment();
              if (failing.remove(name)) {
                log.info("resource metrics: node " + name + " is scraped again");
              }
              return new Scraped(name, summary, Instant.now());
            })
        .onErrorResume(
            e -> {
              scrapeFailed.increment();
              if (failing.add(name)) {
                String why =
                    e instanceof TimeoutException
                        ? "no answer within " + props.timeout().toMillis() + " ms"
                        : e.getMessage();
                log.warn("resource metrics: cannot scrape node " + name + ": " + why);
              }
              return Mono.just(new Scraped(name, null, null));
            });
  }

  /** Upstream scrapes nodes whose Ready condition is True. */
  static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }
}
