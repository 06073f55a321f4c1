package io.nauta.ingress.app;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.ingress.routes.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Writes what the controller tells of its Ingresses: {@code status.loadBalancer.ingress} set to the
 * controller's address (through the status subresource, only when it differs), taken off again from
 * an Ingress that left the class (another class named, the default class moved) while it still
 * shows exactly this address, so that it does not advertise a controller that no longer routes it;
 * and a Warning Event per problem, once when it appears. Level-based: called after every table
 * build with everything served, so a failed write is tried again on the next build (at the latest
 * the periodic one).
 */
final class IngressStatus {

  private static final Log log = LogFactory.getLog(IngressStatus.class);

  private final ResourceClient<Ingress> ingresses;
  private final EventRecorder events;
  private final List<IngressLoadBalancerIngress> address;
  private final Map<String, String> inFlight = new ConcurrentHashMap<>();
  private Set<Problem> reported = Set.of();

  IngressStatus(KubeClient client, EventRecorder events, String statusAddress) {
    this.ingresses = client.resource(BuiltInResources.INGRESSES, Ingress.class);
    this.events = events;
    IngressLoadBalancerIngressBuilder b = new IngressLoadBalancerIngressBuilder();
    this.address =
        List.of(
            statusAddress.matches("[0-9.]+") || statusAddress.contains(":")
                ? b.withIp(statusAddress).build()
                : b.withHostname(statusAddress).build());
  }

  /**
   * @param all every Ingress the controller sees, {@code served} among them
   */
  void sync(List<Ingress> served, List<Ingress> all, List<Problem> problems) {
    Set<String> servedKeys = new HashSet<>();
    for (Ingress ing : served) {
      servedKeys.add(key(ing));
      if (!Objects.equals(addresses(ing), address)) {
        write(ing, address);
      }
    }
    for (Ingress ing : all) {
      if (!servedKeys.contains(key(ing)) && Objects.equals(addresses(ing), address)) {
        write(ing, List.of());
      }
    }
    Set<Problem> now = new HashSet<>(problems);
    for (Problem p : problems) {
      if (!reported.contains(p)) {
        served.stream()
            .filter(
                i ->
                    p.ingress()
                        .equals(i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()))
            .findFirst()
            .ifPresent(
                i -> {
                  log.warn("ingress " + p.ingress() + ": " + p.message());
                  events.warning(i, p.reason(), p.message()).subscribe();
                });
      }
    }
    reported = now;
  }

  private static List<IngressLoadBalancerIngress> addresses(Ingress ing) {
    return ing.getStatus() == null || ing.getStatus().getLoadBalancer() == null
        ? null
        : ing.getStatus().getLoadBalancer().getIngress();
  }

  private static String key(Ingress ing) {
    return ing.getMetadata().getNamespace() + "/" + ing.getMetadata().getName();
  }

  /** Writes {@code addresses} into the Ingress's status, once per version of it in flight. */
  private void write(Ingress ing, List<IngressLoadBalancerIngress> addresses) {
    String key = key(ing);
    String rv = ing.getMetadata().getResourceVersion();
    if (rv.equals(inFlight.put(key, rv))) {
      return;
    }
    Ingress updated =
        new IngressBuilder(ing)
            .withNewStatus()
            .withNewLoadBalancer()
            .withIngress(addresses.isEmpty() ? null : addresses)
            .endLoadBalancer()
            .endStatus()
            .build();
    ingresses
        .updateStatus(updated)
        .doOnError(e -> log.info("could not write the status of ingress " + key + ": " + e))
        .doFinally(s -> inFlight.remove(key, rv))
        .onErrorResume(e -> Mono.empty())
        .subscribe();
  }
}
