package io.nauta.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.nauta.controllers.endpoints.EndpointSubsets;
import io.nauta.controllers.endpoints.EndpointsController;
import io.nauta.controllers.endpoints.ServedPort;
import io.nauta.controllers.pods.PodConditions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EndpointSlices a Service with a selector should have, computed from its pods as upstream's
 * endpointslice reconciler does: every pod with an IP of the service's family that has not finished
 * is an endpoint (terminating ones too, {@code ready: false}, {@code terminating: true}), endpoints
 * are grouped by the ports they serve and cut into slices of at most {@code maxPerSlice}.
 *
 * <p>Unlike upstream, whose slices get generated names and are filled to keep churn low, a slice's
 * name here is derived from what it holds ({@code <service>-<hash of address type, ports and
 * chunk>}): a create retried after a lost response meets a 409 instead of making a twin, and a
 * controller that restarts finds the same slices again.
 */
final class DesiredSlices {

  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  static final String CONTROLLER = "endpointslice-controller.k8s.io";
  static final String HEADLESS = "service.kubernetes.io/headless";

  private DesiredSlices() {}

  static List<EndpointSlice> compute(Service service, List<Pod> pods, int maxPerSlice) {
    String addressType = addressType(service);
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts =
        service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    // port-set key -> (ports, endpoints by IP so the order is stable)
    Map<String, List<EndpointPort>> portSets = new TreeMap<>();
    Map<String, Map<String, Endpoint>> byPorts = new TreeMap<>();
    for (Pod pod : pods) {
      if (!EndpointSubsets.shouldBeInEndpoints(pod, true)) {
        continue;
      }
      String ip = pod.getStatus().getPodIP();
      if (!addressType.equals(ip.contains(":") ? "IPv6" : "IPv4")) {
        continue;
      }
      List<ServedPort> served = ServedPort.of(pod, servicePorts);
      List<EndpointPort> ports = served.stream().map(ServedPort::toSlicePort).toList();
      String key = ServedPort.key(served);
      portSets.putIfAbsent(key, ports);
      byPorts
          .computeIfAbsent(key, k -> new TreeMap<>())
          .putIfAbsent(ip, endpoint(service, pod, publishNotReady));
    }
    List<EndpointSlice> slices = new ArrayList<>();
    for (Map.Entry<String, Map<String, Endpoint>> e : byPorts.entrySet()) {
      List<Endpoint> endpoints = new ArrayList<>(e.getValue().values());
      for (int from = 0, chunk = 0; from < endpoints.size(); from += maxPerSlice, chunk++) {
        List<Endpoint> part =
            endpoints.subList(from, Math.min(endpoints.size(), from + maxPerSlice));
        slices.add(
            slice(
                service,
                addressType,
                portSets.get(e.getKey()),
                new ArrayList<>(part),
                addressType + "/" + e.getKey() + "#" + chunk));
      }
    }
    if (slices.isEmpty()) {
      // Upstream keeps one empty slice for a service without endpoints, so readers see that the
      // service is handled, not forgotten.
      slices.add(slice(service, addressType, List.of(), List.of(), "placeholder"));
    }
    return slices;
  }

  private static Endpoint endpoint(Service service, Pod pod, boolean publishNotReady) {
    boolean serving = PodConditions.isReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    // As upstream: never ready while terminating, unless the service publishes unready pods.
    boolean ready = publishNotReady || (serving && !terminating);
    EndpointBuilder b =
        new EndpointBuilder()
            .withAddresses(pod.getStatus().getPodIP())
            .withNewConditions()
            .withReady(ready)
            .withServing(serving)
            .withTerminating(terminating)
            .endConditions()
            .withTargetRef(
                new ObjectReferenceBuilder()
                    .withKind("Pod")
                    .withNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .build());
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      b.withNodeName(node);
    }
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    if (hostname != null
        && !hostname.isEmpty()
        && service.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
      b.withHostname(hostname);
    }
    return b.build();
  }

  private static EndpointSlice slice(
      Service service,
      String addressType,
      List<EndpointPort> ports,
      List<Endpoint> endpoints,
      String identity) {
    String name = service.getMetadata().getName();
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace(service.getMetadata().getNamespace())
        .withName(name + "-" + hash(identity))
        .withLabels(labels(service))
        .addToOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Service")
                .withName(name)
                .withUid(service.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withAddressType(addressType)
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  /** The service's labels, minus the two the controller owns, plus those and the headless mark. */
  static Map<String, String> labels(Service service) {
    Map<String, String> labels = new LinkedHashMap<>(EndpointsController.labels(service));
    labels.remove(SERVICE_NAME);
    labels.remove(MANAGED_BY);
    labels.put(SERVICE_NAME, service.getMetadata().getName());
    labels.put(MANAGED_BY, CONTROLLER);
    if ("None".equals(service.getSpec().getClusterIP())) {
      labels.put(HEADLESS, "");
    } else {
      labels.remove(HEADLESS);
    }
    return labels;
  }

  /** The service's first IP family (IPv4 when none is set yet). */
  static String addressType(Service service) {
    List<String> families = service.getSpec().getIpFamilies();
    return families != null && !families.isEmpty() && "IPv6".equals(families.get(0))
        ? "IPv6"
        : "IPv4";
  }

  private static String hash(String identity) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
