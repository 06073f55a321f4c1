package io.nauta.api.controlplane;

import io.nauta.api.allocation.AllocationRange;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code kubernetes} Service of {@code default} and its Endpoints, as kube-apiserver's
 * "kubernetes service" controller keeps them: the Service (cluster IP the first address of the
 * service range, port 443 {@code https} to the API server's secure port, no selector) is made when
 * missing and its ports and type put back when changed; the Endpoints list the address of every API
 * server whose lease runs ({@link MasterLeases}, the {@code lease} endpoint reconciler), and are
 * rewritten whenever that set or their ports differ.
 */
final class KubernetesService {

  private static final Logger log = LoggerFactory.getLogger(KubernetesService.class);

  static final String NAMESPACE = "default";
  static final String NAME = "kubernetes";
  static final String PORT_NAME = "https";
  static final int SERVICE_PORT = 443;
  static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";

  private final ResourceService service;
  private final JsonMapper mapper;
  private final String clusterIp;
  private final String serviceRange;

  KubernetesService(ResourceService service, JsonMapper mapper, NautaProperties props) {
    this.service = service;
    this.mapper = mapper;
    this.serviceRange = props.services().clusterIpRange();
    // Kubernetes reserves the first address of the range for this Service.
    this.clusterIp = AllocationRange.cidr(serviceRange).memberAt(0);
  }

  String clusterIp() {
    return clusterIp;
  }

  /**
   * Creates the Service, or repairs its ports and type (kubernetes' CreateOrUpdateMasterService).
   */
  Mono<Void> ensureService(int securePort) {
    return service
        .get(BuiltInResources.SERVICES, NAMESPACE, NAME)
        .flatMap(
            current -> {
              String ip = current.path("spec").path("clusterIP").asString("");
              if (!ip.equals(clusterIp)) {
                log.error(
                    "the cluster IP {} of service {}/{} is not the first address of the service"
                        + " range {} ({}); delete the service to have it made again",
                    ip,
                    NAMESPACE,
                    NAME,
                    serviceRange,
                    clusterIp);
              }
              if (portsAndTypeCorrect(current, securePort)) {
                return Mono.<Void>empty();
              }
              return repair(
                  BuiltInResources.SERVICES,
                  obj -> {
                    ObjectNode spec = (ObjectNode) obj.path("spec");
                    spec.set("ports", servicePorts(securePort));
                    spec.put("type", "ClusterIP");
                  });
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(BuiltInResources.SERVICES, NAMESPACE, newService(securePort), false)
                    .then());
  }

  /**
   * Makes the Endpoints list exactly {@code addresses} on the secure port (the lease reconciler's
   * doReconcile). Refuses to write none: an empty lease list means the leases could not be read
   * right, not that no API server runs (this one does).
   */
  Mono<Void> ensureEndpoints(List<String> addresses, int securePort) {
    if (addresses.isEmpty()) {
      return Mono.error(
          new IllegalStateException(
              "no API server IP addresses were listed in storage, refusing to erase all endpoints"
                  + " for the kubernetes Service"));
    }
    return service
        .get(BuiltInResources.ENDPOINTS, NAMESPACE, NAME)
        .flatMap(
            current -> {
              if (endpointsCorrect(current, addresses, securePort)) {
                return Mono.<Void>empty();
              }
              return repair(
                  BuiltInResources.ENDPOINTS,
                  obj -> {
                    labels(obj).put(SKIP_MIRROR, "true");
                    obj.set("subsets", subsets(addresses, securePort));
                  });
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(
                        BuiltInResources.ENDPOINTS,
                        NAMESPACE,
                        newEndpoints(addresses, securePort),
                        false)
                    .then());
  }

  /** Rewrites {@code default/kubernetes} of {@code type} as {@code fix} says. */
  private Mono<Void> repair(ResourceType type, Consumer<ObjectNode> fix) {
    return service
        .guaranteedUpdate(
            type,
            NAMESPACE,
            NAME,
            null,
            false,
            obj -> {
              fix.accept(obj);
              return obj;
            })
        .then();
  }

  private ObjectNode newService(int securePort) {
    ObjectNode svc = mapper.createObjectNode();
    svc.put("apiVersion", "v1").put("kind", "Service");
    ObjectNode meta = svc.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
    meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.set("ports", servicePorts(securePort));
    spec.put("clusterIP", clusterIp);
    spec.put("sessionAffinity", "None");
    spec.put("type", "ClusterIP");
    return svc;
  }

  private ArrayNode servicePorts(int securePort) {
    ArrayNode ports = mapper.createArrayNode();
    ports
        .addObject()
        .put("name", PORT_NAME)
        .put("port", SERVICE_PORT)
        .put("protocol", "TCP")
        .put("targetPort", securePort);
    return ports;
  }

  private static boolean portsAndTypeCorrect(JsonNode svc, int securePort) {
    JsonNode spec = svc.path("spec");
    JsonNode ports = spec.path("ports");
    if (!"ClusterIP".equals(spec.path("type").asString("ClusterIP")) || ports.size() != 1) {
      return false;
    }
    JsonNode p = ports.get(0);
    return PORT_NAME.equals(p.path("name").asString(""))
        && p.path("port").asInt() == SERVICE_PORT
        && "TCP".equals(p.path("protocol").asString("TCP"))
        && p.path("targetPort").isNumber()
        && p.path("targetPort").asInt() == securePort;
  }

  private ObjectNode newEndpoints(List<String> addresses, int securePort) {
    ObjectNode ep = mapper.createObjectNode();
    ep.put("apiVersion", "v1").put("kind", "Endpoints");
    ep.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
    labels(ep).put(SKIP_MIRROR, "true");
    ep.set("subsets", subsets(addresses, securePort));
    return ep;
  }

  private ArrayNode subsets(List<String> addresses, int securePort) {
    ArrayNode subsets = mapper.createArrayNode();
    ObjectNode subset = subsets.addObject();
    ArrayNode list = subset.putArray("addresses");
    addresses.stream().sorted().forEach(ip -> list.addObject().put("ip", ip));
    subset
        .putArray("ports")
        .addObject()
        .put("name", PORT_NAME)
        .put("port", securePort)
        .put("protocol", "TCP");
    return subsets;
  }

  /**
   * One subset, exactly these addresses (all ready), exactly the one port, the skip-mirror label.
   */
  private static boolean endpointsCorrect(JsonNode ep, List<String> addresses, int securePort) {
    if (!"true".equals(ep.path("metadata").path("labels").path(SKIP_MIRROR).asString(""))) {
      return false;
    }
    JsonNode subsets = ep.path("subsets");
    if (subsets.size() != 1) {
      return false;
    }
    JsonNode subset = subsets.get(0);
    if (subset.path("notReadyAddresses").size() != 0) {
      return false;
    }
    List<String> ips = new ArrayList<>();
    subset.path("addresses").forEach(a -> ips.add(a.path("ip").asString("")));
    if (!Objects.equals(ips.stream().sorted().toList(), addresses.stream().sorted().toList())) {
      return false;
    }
    JsonNode ports = subset.path("ports");
    if (ports.size() != 1) {
      return false;
    }
    JsonNode p = ports.get(0);
    return PORT_NAME.equals(p.path("name").asString(""))
        && p.path("port").asInt() == securePort
        && "TCP".equals(p.path("protocol").asString("TCP"));
  }

  private static ObjectNode labels(ObjectNode obj) {
    ObjectNode meta = (ObjectNode) obj.path("metadata");
    return meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
  }
}
