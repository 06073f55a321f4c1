package io.nauta.controllers.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.controllers.autoscaling.PodMetric;
import io.nauta.controllers.autoscaling.PodMetricsSource;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Pod metrics a test sets: every running pod of a namespace uses the CPU set for that namespace,
 * sampled just now over one second (so a pod ready for more than a second is trusted). A namespace
 * without a setting has no metrics at all, as before metrics-server's first scrape.
 */
public final class TestPodMetrics implements PodMetricsSource {

  private final ResourceClient<Pod> pods;
  private final Map<String, Long> cpuMilli = new ConcurrentHashMap<>();

  TestPodMetrics(KubeClient client) {
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
  }

  /** Every pod of {@code namespace} uses {@code milli} millicores from now on. */
  public void setCpu(String namespace, long milli) {
    cpuMilli.put(namespace, milli);
  }

  @Override
  public Mono<Map<String, PodMetric>> podMetrics(
      String namespace, String selector, String resource, String container) {
    Long milli = cpuMilli.get(namespace);
    if (milli == null || !"cpu".equals(resource)) {
      return Mono.just(Map.of());
    }
    return pods.list(namespace, ListOptions.none().withLabelSelector(selector))
        .map(
            list -> {
              Map<String, PodMetric> out = new HashMap<>();
              for (Pod p : list.items()) {
                if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
                  out.put(
                      p.getMetadata().getName(),
                      new PodMetric(Instant.now(), Duration.ofSeconds(1), milli));
                }
              }
              return out;
            });
  }
}
