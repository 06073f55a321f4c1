package io.nauta.agent.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Registers nodes and keeps them alive, as the kubelet does: creates the Node (or adopts the one
 * that exists, keeping its {@code spec.podCIDR}), renews its Lease in {@code kube-node-lease}, and
 * writes its status when it differs from what it should be (e.g. the node lifecycle controller set
 * it {@code Unknown}) and at least every report interval.
 */
public final class NodeRegistration {

  public static final String LEASE_NAMESPACE = "kube-node-lease";

  private static final Log log = LogFactory.getLog(NodeRegistration.class);

  private final ResourceClient<Node> nodes;
  private final ResourceClient<Lease> leases;
  private final NodeTemplate template;
  private final Duration leaseDuration;
  private final Duration reportInterval;
  private final Clock clock;
  private final IntSupplier kubeletPort;
  private final RuntimeHealth health;
  private final Map<String, Instant> lastReport = new ConcurrentHashMap<>();
  private final Map<String, String> nodeUids = new ConcurrentHashMap<>();

  /**
   * What every node of this process shares: capacity, labels and node info.
   *
   * @param capacity capacity (and allocatable)
   * @param labels labels beside the per-node {@code kubernetes.io/hostname}
   * @param info node info fields by their JSON name
   */
  public record NodeTemplate(
      Map<String, Quantity> capacity, Map<String, String> labels, Map<String, String> info) {}

  public NodeRegistration(
      ResourceClient<Node> nodes,
      ResourceClient<Lease> leases,
      NodeTemplate template,
      Duration leaseDuration,
      Duration reportInterval,
      Clock clock,
      IntSupplier kubeletPort) {
    this(
        nodes,
        leases,
        template,
        leaseDuration,
        reportInterval,
        clock,
        kubeletPort,
        new RuntimeHealth(clock, RuntimeHealth.THRESHOLD));
  }

  /**
   * @param health whether each node's runtime answers, for its {@code Ready} condition
   */
  public NodeRegistration(
      ResourceClient<Node> nodes,
      ResourceClient<Lease> leases,
      NodeTemplate template,
      Duration leaseDuration,
      Duration reportInterval,
      Clock clock,
      IntSupplier kubeletPort,
      RuntimeHealth health) {
    this.health = health;
    this.nodes = nodes;
    this.leases = leases;
    this.template = template;
    this.leaseDuration = leaseDuration;
    this.reportInterval = reportInterval;
    this.clock = clock;
    this.kubeletPort = kubeletPort;
  }

  /** Creates the node, or brings the existing one's labels and status up to date. */
  public Mono<Node> register(AgentNode node) {
    return nodes
        .get(null, node.name())
        .flatMap(existing -> adopt(existing, node))
        .onErrorResume(NotFoundException.class, e -> create(node))
        .doOnNext(
            n -> {
              nodeUids.put(node.name(), n.getMetadata().getUid());
              lastReport.put(node.name(), clock.instant());
            });
  }

  private Mono<Node> create(AgentNode node) {
    Node fresh =
        new NodeBuilder()
            .withNewMetadata()
            .withName(node.name())
            .withLabels(labels(node))
            .endMetadata()
            .withNewSpec()
            .withPodCIDR(node.podCidr().cidr())
            .withPodCIDRs(node.podCidr().cidr())
            .endSpec()
            .withStatus(desired(null, node))
            .build();
    return nodes
        .create(fresh)
        .doOnNext(
            n -> log.info("registered node " + node.name() + " (" + node.podCidr().cidr() + ")"));
  }

  private Mono<Node> adopt(Node existing, AgentNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (existing.getMetadata().getLabels() != null) {
      labels.putAll(existing.getMetadata().getLabels());
    }
    labels.putAll(labels(node));
    NodeBuilder b = new NodeBuilder(existing).editMetadata().withLabels(labels).endMetadata();
    // spec.podCIDR is immutable once set, as in Kubernetes: a node keeps the range it had.
    if (existing.getSpec() == null || existing.getSpec().getPodCIDR() == null) {
      b.editOrNewSpec()
          .withPodCIDR(node.podCidr().cidr())
          .withPodCIDRs(node.podCidr().cidr())
          .endSpec();
    }
    return nodes
        .update(b.build())
        .flatMap(
            updated ->
                nodes.updateStatus(
                    new NodeBuilder(updated)
                        .withStatus(desired(updated.getStatus(), node))
                        .build()))
        .doOnNext(n -> log.info("node " + node.name() + " exists; adopted it"));
  }

  /**
   * Writes the node's status when it changed, or when the report interval is up. Re-registers a
   * node that was deleted.
   */
  public Mono<Void> syncStatus(AgentNode node) {
    return health
        .notReadyReason(node)
        .map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .flatMap(notReady -> syncStatus(node, notReady.orElse(null)));
  }

  private Mono<Void> syncStatus(AgentNode node, String notReady) {
    return nodes
        .get(null, node.name())
        .flatMap(
            current -> {
              NodeStatus desired = desired(current.getStatus(), node, notReady);
              Instant last = lastReport.getOrDefault(node.name(), Instant.EPOCH);
              boolean due = !clock.instant().isBefore(last.plus(reportInterval));
              if (!due && !NodeStatuses.changed(current.getStatus(), desired)) {
                return Mono.empty();
              }
              return nodes
                  .updateStatus(new NodeBuilder(current).withStatus(desired).build())
                  .doOnNext(n -> lastReport.put(node.name(), clock.instant()));
            })
        .onErrorResume(NotFoundException.class, e -> register(node))
        .then();
  }

  /** Renews the node's Lease, creating it (owned by the Node) if it is missing. */
  public Mono<Void> renewLease(AgentNode node) {
    ZonedDateTime now =
        ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    return leases
        .get(LEASE_NAMESPACE, node.name())
        .flatMap(
            l ->
                leases.update(
                    new LeaseBuilder(l)
                        .editSpec()
                        .withHolderIdentity(node.name())
                        .withRenewTime(now)
                        .endSpec()
                        .build()))
        .onErrorResume(NotFoundException.class, e -> leases.create(lease(node, now)))
        .then();
  }

  private Lease lease(AgentNode node, ZonedDateTime now) {
    LeaseBuilder b =
        new LeaseBuilder()
            .withNewMetadata()
            .withNamespace(LEASE_NAMESPACE)
            .withName(node.name())
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(node.name())
            .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
            .withRenewTime(now)
            .endSpec();
    String uid = nodeUids.get(node.name());
    if (uid != null) {
      // As the kubelet does: the Lease goes when its Node is deleted.
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(node.name())
                  .withUid(uid)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  private Map<String, String> labels(AgentNode node) {
    Map<String, String> labels = new HashMap<>(template.labels());
    labels.put("kubernetes.io/hostname", node.name());
    return labels;
  }

  private NodeStatus desired(NodeStatus current, AgentNode node) {
    return desired(current, node, null);
  }

  private NodeStatus desired(NodeStatus current, AgentNode node, String notReady) {
    return NodeStatuses.desired(
        current,
        template.capacity(),
        node.ip(),
        node.name(),
        template.info(),
        kubeletPort.getAsInt(),
        notReady,
        clock.instant());
  }
}
