package io.nauta.agent.bootstrap;

import io.fabric8.kubernetes.api.model.Node;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * The pod range of a node that joins from another host: the one its Node already has ({@code
 * spec.podCIDR} is immutable, and an agent restarted keeps its pods' addresses), else the lowest
 * {@code /24} of the cluster's pod network no Node has. Without it every joining agent of one node
 * took the first {@code /24}, the control plane host's node's, and pods on the two had the same
 * addresses. Kubernetes' controller manager hands ranges out (its node IPAM); here the joining node
 * picks one, so two nodes joining at the same instant may pick the same (join them one after the
 * other, or give each {@code nauta.agent.first-node-index}).
 */
final class PodRangeChoice {

  private PodRangeChoice() {}

  /** The index of the node's {@code /24} in {@code clusterCidr} ({@link PodCidr#nth}). */
  static Mono<Integer> choose(KubeClient asNode, String node, String clusterCidr) {
    var nodes = asNode.resource(BuiltInResources.NODES, Node.class);
    return nodes
        .get(null, node)
        .map(n -> PodCidr.indexIn(clusterCidr, podCidr(n)))
        .onErrorResume(NotFoundException.class, e -> Mono.just(-1))
        .flatMap(
            own ->
                own >= 0
                    ? Mono.just(own)
                    : nodes
                        .listAll(null, ListOptions.none())
                        .map(
                            list ->
                                PodCidr.firstFree(
                                    clusterCidr,
                                    list.items().stream()
                                        .map(PodRangeChoice::podCidr)
                                        .filter(Objects::nonNull)
                                        .toList())));
  }

  private static String podCidr(Node n) {
    return n.getSpec() == null ? null : n.getSpec().getPodCIDR();
  }
}
