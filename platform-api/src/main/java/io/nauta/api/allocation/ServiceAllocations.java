package io.nauta.api.allocation;

import io.nauta.api.allocation.ServiceAllocator.ClaimFailedException;
import io.nauta.api.allocation.ServiceAllocator.Pool;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Service write needs from the allocator, as Kubernetes' service REST storage does it: a
 * cluster IP for {@code ClusterIP}, {@code NodePort} and {@code LoadBalancer} services (unless
 * headless, {@code clusterIP: None}), a node port for every port of {@code NodePort} and {@code
 * LoadBalancer} services, requested values validated (in range, free), and {@code clusterIPs},
 * {@code ipFamilies} and {@code ipFamilyPolicy} filled for single-stack IPv4. Claims are made
 * before the write and released if it fails; values a write stops using are released after it.
 */
@Component
public class ServiceAllocations {

  private final ServiceAllocator allocator;

  public ServiceAllocations(ServiceAllocator allocator) {
    this.allocator = allocator;
  }

  /** What one write claimed (to release should the write fail). */
  public record Claims(String owner, List<String> ips, List<String> ports) {
    public boolean isEmpty() {
      return ips.isEmpty() && ports.isEmpty();
    }
  }

  /**
   * Fills in and claims the cluster IP and node ports of {@code service} (being created when {@code
   * old} is null, else updated from {@code old}); the service is changed in place. Fails with 422
   * Invalid for a requested value that is out of range or taken, having released what it claimed.
   */
  public Mono<Claims> claim(ObjectNode service, ObjectNode old) {
    String owner = owner(service);
    ObjectNode spec = spec(service);
    String type = spec.path("type").asString("ClusterIP");
    Claims claims = new Claims(owner, new ArrayList<>(), new ArrayList<>());
    Mono<Void> ip = claimClusterIp(service, spec, type, old, claims);
    Mono<Void> ports = Mono.defer(() -> claimNodePorts(service, spec, type, old, claims));
    return ip.then(ports)
        .thenReturn(claims)
        .onErrorResume(e -> release(claims).then(Mono.error(e)));
  }

  private Mono<Void> claimClusterIp(
      ObjectNode service, ObjectNode spec, String type, ObjectNode old, Claims claims) {
    if ("ExternalName".equals(type)) {
      return Mono.empty();
    }
    String requested = spec.path("clusterIP").asString("");
    if (requested.isEmpty()
        && spec.path("clusterIPs").isArray()
        && !spec.path("clusterIPs").isEmpty()) {
      requested = spec.path("clusterIPs").get(0).asString("");
    }
    if ("None".equals(requested)) {
      setIps(spec, "None");
      return Mono.empty();
    }
    String previous = old == null ? "" : spec(old).path("clusterIP").asString("");
    if (!requested.isEmpty() && requested.equals(previous)) {
      setIps(spec, requested);
      return Mono.empty();
    }
    String wanted = requested.isEmpty() ? null : requested;
    return allocator
        .claim(Pool.CLUSTER_IP, claims.owner(), wanted)
        .doOnNext(
            ip -> {
              claims.ips().add(ip);
              setIps(spec, ip);
            })
        .onErrorMap(ClaimFailedException.class, e -> ipError(service, e))
        .then();
  }

  private Mono<Void> claimNodePorts(
      ObjectNode service, ObjectNode spec, String type, ObjectNode old, Claims claims) {
    if (!"NodePort".equals(type) && !"LoadBalancer".equals(type)) {
      return Mono.empty();
    }
    JsonNode ports = spec.get("ports");
    if (!(ports instanceof ArrayNode list)) {
      return Mono.empty();
    }
    Set<Integer> held = old == null ? Set.of() : nodePorts(old);
    List<Mono<Void>> steps = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof ObjectNode port)) {
        continue;
      }
      int index = i;
      int requested = port.path("nodePort").asInt(0);
      if (requested == 0 && old != null) {
        requested = previousNodePort(old, port);
        if (requested != 0) {
          port.put("nodePort", requested);
        }
      }
      if (requested != 0 && held.contains(requested)) {
        continue;
      }
      String wanted = requested == 0 ? null : Integer.toString(requested);
      steps.add(
          allocator
              .claim(Pool.NODE_PORT, claims.owner(), wanted)
              .doOnNext(
                  p -> {
                    claims.ports().add(p);
                    port.put("nodePort", Integer.parseInt(p));
                  })
              .onErrorMap(ClaimFailedException.class, e -> portError(service, index, e))
              .then());
    }
    return Flux.concat(steps).then();
  }

  /** The node port an update that left it out keeps: the old one of the same port and protocol. */
  private static int previousNodePort(ObjectNode old, ObjectNode port) {
    for (JsonNode p : spec(old).path("ports")) {
      if (p.path("port").asInt() == port.path("port").asInt()
          && p.path("protocol").asString("TCP").equals(port.path("protocol").asString("TCP"))) {
        return p.path("nodePort").asInt(0);
      }
    }
    return 0;
  }

  /** Releases what a failed write claimed. */
  public Mono<Void> release(Claims claims) {
    if (claims == null || claims.isEmpty()) {
      return Mono.empty();
    }
    return allocator
        .release(Pool.CLUSTER_IP, claims.owner(), claims.ips())
        .then(allocator.release(Pool.NODE_PORT, claims.owner(), claims.ports()))
        .then();
  }

  /**
   * After a successful write: releases what {@code old} held and {@code now} no longer refers to
   * ({@code now} null: the service is gone).
   */
  public Mono<Void> releaseUnused(ObjectNode old, ObjectNode now) {
    Set<String> oldIps = clusterIps(old);
    Set<Integer> oldPorts = nodePorts(old);
    if (now != null) {
      oldIps.removeAll(clusterIps(now));
      oldPorts.removeAll(nodePorts(now));
    }
    String owner = owner(old);
    List<String> ports = oldPorts.stream().map(String::valueOf).toList();
    return allocator
        .release(Pool.CLUSTER_IP, owner, oldIps)
        .then(allocator.release(Pool.NODE_PORT, owner, ports))
        .then();
  }

  static Set<String> clusterIps(ObjectNode service) {
    Set<String> ips = new LinkedHashSet<>();
    ObjectNode spec = spec(service);
    String ip = spec.path("clusterIP").asString("");
    if (!ip.isEmpty() && !ip.equals("None")) {
      ips.add(ip);
    }
    for (JsonNode i : spec.path("clusterIPs")) {
      String s = i.asString("");
      if (!s.isEmpty() && !s.equals("None")) {
        ips.add(s);
      }
    }
    return ips;
  }

  static Set<Integer> nodePorts(ObjectNode service) {
    Set<Integer> ports = new HashSet<>();
    for (JsonNode p : spec(service).path("ports")) {
      int n = p.path("nodePort").asInt(0);
      if (n != 0) {
        ports.add(n);
      }
    }
    return ports;
  }

  /** Kubernetes' single-stack IPv4 fields. */
  private static void setIps(ObjectNode spec, String ip) {
    spec.put("clusterIP", ip);
    ArrayNode ips = spec.putArray("clusterIPs");
    ips.add(ip);
    if (!spec.hasNonNull("ipFamilyPolicy")) {
      spec.put("ipFamilyPolicy", "SingleStack");
    }
    if (!(spec.get("ipFamilies") instanceof ArrayNode families) || families.isEmpty()) {
      spec.putArray("ipFamilies").add("IPv4");
    }
  }

  private InvalidException ipError(ObjectNode service, ClaimFailedException e) {
    String ip = e.member();
    String detail =
        switch (e.failure()) {
          case TAKEN -> "failed to allocate IP " + ip + ": provided IP is already allocated";
          case OUT_OF_RANGE ->
              "failed to allocate IP "
                  + ip
                  + ": provided IP is not in the valid range. The range of valid IPs is "
                  + allocator.range(Pool.CLUSTER_IP).text();
          case FULL ->
              throw new InternalErrorException(
                  "failed to allocate a serviceIP: range is full", ref(service));
        };
    return new InvalidException(
        "Service",
        ref(service),
        List.of(FieldError.invalid("spec.clusterIPs", List.of(ip), detail)));
  }

  private InvalidException portError(ObjectNode service, int index, ClaimFailedException e) {
    String detail =
        switch (e.failure()) {
          case TAKEN -> "provided port is already allocated";
          case OUT_OF_RANGE ->
              "provided port is not in the valid range. The range of valid ports is "
                  + allocator.range(Pool.NODE_PORT).text();
          case FULL ->
              throw new InternalErrorException(
                  "failed to allocate a nodePort: range is full", ref(service));
        };
    return new InvalidException(
        "Service",
        ref(service),
        List.of(
            FieldError.invalid(
                "spec.ports[" + index + "].nodePort", Integer.parseInt(e.member()), detail)));
  }

  private static ResourceRef ref(ObjectNode service) {
    return new ResourceRef("", "services", service.path("metadata").path("name").asString(""));
  }

  static String owner(ObjectNode service) {
    JsonNode m = service.path("metadata");
    return m.path("namespace").asString("") + "/" + m.path("name").asString("");
  }

  private static ObjectNode spec(ObjectNode service) {
    return service.get("spec") instanceof ObjectNode s ? s : service.putObject("spec");
  }
}
