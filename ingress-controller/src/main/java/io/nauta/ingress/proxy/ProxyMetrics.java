package io.nauta.ingress.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code nauta.ingress.requests}: a timer per Ingress, Service and status code (ingress-nginx's
 * {@code nginx_ingress_controller_requests} and {@code ..._request_duration_seconds} in one), from
 * the request's arrival to the end of its response. Requests no Ingress matched have {@code
 * ingress} and {@code service} empty.
 */
public final class ProxyMetrics {

  public static final String REQUESTS = "nauta.ingress.requests";

  private final MeterRegistry registry;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String ingress, String service, int status, Duration latency) {
    Timer.builder(REQUESTS)
        .description("Requests through the ingress controller")
        .tag("ingress", ingress)
        .tag("service", service)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }
}
