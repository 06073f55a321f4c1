package io.nauta.ingress.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code nauta.ingress.requests}: a timer per Ingress, Service and status code (ingress-nginx's
 * {@code nginx_ingress_controller_requests} and {@code ..._request_duration_seconds} in one), from
 * the request's arrival to the end of its response. Requests no Ingress matched have {@code
 * ingress} and {@code service} empty.
 */
public final class ProxyMetrics {

  public static final String REQUESTS = "nauta.ingress.requests";

  private record Key(String ingress, String service, int status) {}

  private final MeterRegistry registry;
  // The registry's own lookup builds an id per call; this is on every request's path.
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String ingress, String service, int status, long nanos) {
    timers
        .computeIfAbsent(
            new Key(ingress, service, status),
            k ->
                Timer.builder(REQUESTS)
                    .description("Requests through the ingress controller")
                    .tag("ingress", k.ingress())
                    .tag("service", k.service())
                    .tag("status", Integer.toString(k.status()))
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
