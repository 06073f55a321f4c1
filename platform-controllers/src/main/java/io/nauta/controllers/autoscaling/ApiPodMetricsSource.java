package io.nauta.controllers.autoscaling;

import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.client.KubeClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Pod metrics from {@code GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?labelSelector=},
 * summed over each pod's containers as upstream's resource metrics client sums them.
 */
public final class ApiPodMetricsSource implements PodMetricsSource {

  private static final Pattern DURATION_PART = Pattern.compile("([0-9.]+)(ns|us|µs|ms|s|m|h)");

  private final KubeClient client;

  public ApiPodMetricsSource(KubeClient client) {
    this.client = client;
  }

  @Override
  public Mono<Map<String, PodMetric>> podMetrics(
      String namespace, String selector, String resource, String container) {
    Map<String, Object> query = new HashMap<>();
    query.put("labelSelector", selector.isEmpty() ? null : selector);
    return client
        .getPath("/apis/metrics.k8s.io/v1beta1/namespaces/" + namespace + "/pods", query)
        .map(body -> parse(client.mapper().readTree(body), resource, container));
  }

  static Map<String, PodMetric> parse(JsonNode list, String resource, String container) {
    Map<String, PodMetric> out = new HashMap<>();
    for (JsonNode item : list.path("items")) {
      long sum = 0;
      boolean missing = false;
      boolean found = false;
      for (JsonNode c : item.path("containers")) {
        if (container != null && !container.equals(c.path("name").asString(""))) {
          continue;
        }
        found = true;
        JsonNode usage = c.path("usage").get(resource);
        if (usage == null || usage.isNull()) {
          missing = true;
          break;
        }
        sum += ReplicaCalculator.milli(new Quantity(usage.asString()));
      }
      if (missing || (container != null && !found)) {
        continue;
      }
      String ts = item.path("timestamp").asString("");
      Instant timestamp = ts.isEmpty() ? Instant.EPOCH : OffsetDateTime.parse(ts).toInstant();
      out.put(
          item.path("metadata").path("name").asString(""),
          new PodMetric(timestamp, goDuration(item.path("window").asString("")), sum));
    }
    return out;
  }

  /** A Go duration as metrics-server writes it ({@code 15s}, {@code 1m0.5s}, {@code 500ms}). */
  static Duration goDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    double nanos = 0;
    while (m.find()) {
      double v = Double.parseDouble(m.group(1));
      nanos +=
          v
              * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
    }
    return Duration.ofNanos((long) nanos);
  }
}
