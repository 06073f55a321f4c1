package io.nauta.ingress.routes;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a matched request goes: a Service's port resolved to its ready endpoints.
 *
 * @param ingress the Ingress that routed it, {@code namespace/name} (a metrics tag)
 * @param service the Service, {@code namespace/name} (a metrics tag)
 * @param endpoints the ready endpoints' addresses with the endpoint port; empty: 503
 * @param cursor the round-robin position, shared by every table built while the endpoints stay
 */
public record Target(
    String ingress, String service, List<InetSocketAddress> endpoints, AtomicInteger cursor) {

  public Target {
    endpoints = List.copyOf(endpoints);
  }

  /** The endpoint after the one the previous request got. */
  public InetSocketAddress next() {
    return endpoints.get(Math.floorMod(cursor.getAndIncrement(), endpoints.size()));
  }
}
