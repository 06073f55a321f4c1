package io.nauta.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The server's metrics under CoreDNS's names, so dashboards made for CoreDNS read them: {@code
 * coredns_dns_requests_total} (server, zone, proto, family, type), {@code
 * coredns_dns_responses_total} (server, zone, rcode, plugin), {@code
 * coredns_dns_request_duration_seconds} (server, zone, type; a histogram), and for forwarded
 * queries {@code coredns_forward_requests_total} and {@code coredns_forward_responses_total} (to,
 * rcode). The zone is the cluster domain for names answered here, {@code .} for forwarded ones.
 */
public final class DnsMetrics {

  private final MeterRegistry registry;
  private final String server;

  public DnsMetrics(MeterRegistry registry, String server) {
    this.registry = registry;
    this.server = server;
  }

  void answered(
      String zone, Request req, String plugin, String rcode, String family, Duration took) {
    Counter.builder("coredns.dns.requests")
        .tags("server", server, "zone", zone, "proto", req.udp() ? "udp" : "tcp")
        .tags("family", family, "type", req.typeName())
        .register(registry)
        .increment();
    Counter.builder("coredns.dns.responses")
        .tags("server", server, "zone", zone, "rcode", rcode, "plugin", plugin)
        .register(registry)
        .increment();
    Timer.builder("coredns.dns.request.duration")
        .tags("server", server, "zone", zone, "type", req.typeName())
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  void forwarded(String to) {
    Counter.builder("coredns.forward.requests").tag("to", to).register(registry).increment();
  }

  void forwardAnswered(String to, String rcode) {
    Counter.builder("coredns.forward.responses")
        .tags("to", to, "rcode", rcode)
        .register(registry)
        .increment();
  }
}
