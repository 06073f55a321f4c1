package io.nauta.controllers.autoscaling;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Where the autoscaler reads the pods' measured usage (upstream's {@code
 * metricsclient.ResourceMetricsClient}). The default reads {@code metrics.k8s.io/v1beta1}
 * PodMetrics through the API server, as kube-controller-manager reads metrics-server.
 */
public interface PodMetricsSource {

  /**
   * Usage of {@code resource} by each pod matching {@code selector}, by pod name; a pod missing a
   * sample for that resource (or for the named container) is left out.
   *
   * @param container a ContainerResource metric's container, or null for the whole pod
   */
  Mono<Map<String, PodMetric>> podMetrics(
      String namespace, String selector, String resource, String container);
}
