package io.nauta.api.admission;

import io.nauta.api.resource.Meta;
import io.nauta.api.security.UserInfo;
import io.nauta.api.security.node.NodeIdentity;
import io.nauta.api.security.node.PodReferences;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code NodeRestriction} admission ({@code plugin/pkg/admission/noderestriction}): the
 * Node authorizer lets every node write Nodes, pod status and Leases; this keeps each node to its
 * own. A node ({@link NodeIdentity}) may create, update and delete only its own Node, without
 * setting labels outside the kubelet's ({@code kubelet.kubernetes.io}, {@code node.kubernetes.io}
 * and the well-known topology and OS labels) nor changing its taints; update only the status of
 * pods bound to it; create only mirror pods bound to it and delete only its pods; and use only its
 * own Lease in {@code kube-node-lease}; and request service-account tokens only bound to its own
 * pods. Refusals are 403 with Kubernetes' messages.
 *
 * <p>The writer comes from the Reactor context ({@link UserInfo#ATTRIBUTE}), as for the RBAC
 * escalation check; writes without one (security off, the server's own work) are not a node's.
 */
@Component
public class NodeRestriction {

  static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
  static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  private static final String RESTRICTED_LABEL_NAMESPACE = "node-restriction.kubernetes.io";

  /** {@code kubeletapis.IsKubeletLabel}'s names, beside its namespaces. */
  private static final Set<String> KUBELET_LABELS =
      Set.of(
          "kubernetes.io/hostname",
          "topology.kubernetes.io/zone",
          "topology.kubernetes.io/region",
          "failure-domain.beta.kubernetes.io/zone",
          "failure-domain.beta.kubernetes.io/region",
          "beta.kubernetes.io/instance-type",
          "node.kubernetes.io/instance-type",
          "kubernetes.io/os",
          "kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "beta.kubernetes.io/arch");

  private static final Set<String> KUBELET_LABEL_NAMESPACES =
      Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

  /** Completes when the caller may create {@code obj} as {@code type}. */
  public Mono<Void> admitCreate(ResourceType type, ObjectNode obj) {
    return admit(type, Meta.name(obj), node -> create(node, type, obj));
  }

  /**
   * Completes when the caller may store {@code updated} over {@code old}; {@code subresource} is
   * {@code ""} for the main resource or {@code "status"}.
   */
  public Mono<Void> admitUpdate(
      ResourceType type, String subresource, ObjectNode updated, ObjectNode old) {
    return admit(type, Meta.name(old), node -> update(node, type, subresource, updated, old));
  }

  /** Completes when the caller may delete {@code existing}. */
  public Mono<Void> admitDelete(ResourceType type, ObjectNode existing) {
    return admit(type, Meta.name(existing), node -> delete(node, type, existing));
  }

  /** A refusal, or null when the node may. */
  private interface Check {
    String refusal(String node);
  }

  /**
   * Completes when the caller may create the TokenRequest {@code request} for the service account
   * {@code serviceAccount} ({@code admitServiceAccount}): a node's must be bound, by uid, to a pod
   * scheduled on that node, so a node cannot mint tokens of its pods' accounts for other uses (the
   * Node authorizer lets it ask for any account one of its pods runs as). {@code pods} reads a pod
   * of the request's namespace by name.
   */
  public Mono<Void> admitTokenRequest(
      String serviceAccount, JsonNode request, Function<String, Mono<ObjectNode>> pods) {
    return Mono.deferContextual(
        ctx -> {
          Optional<String> node = nodeOf(ctx);
          if (node.isEmpty()) {
            return Mono.empty();
          }
          Function<String, Mono<Void>> refuse =
              refusal -> forbidden(BuiltInResources.SERVICEACCOUNTS, serviceAccount, refusal);
          if (node.get().isEmpty()) {
            return refuse.apply(unknownNode(ctx));
          }
          JsonNode ref = request.path("spec").path("boundObjectRef");
          String podName = ref.path("name").asString("");
          if (!ref.path("apiVersion").asString("").equals("v1")
              || !ref.path("kind").asString("").equals("Pod")
              || podName.isEmpty()) {
            return refuse.apply("node requested token not bound to a pod");
          }
          String uid = ref.path("uid").asString("");
          if (uid.isEmpty()) {
            return refuse.apply("node requested token with a pod binding without a uid");
          }
          return pods.apply(podName)
              // Kubernetes reads the pod from its lister, which names the resource "pod".
              .onErrorMap(
                  NotFoundException.class,
                  e -> NotFoundException.of(new ResourceRef("", "pod", podName)))
              .flatMap(
                  pod -> {
                    if (!uid.equals(Meta.uid(pod))) {
                      return refuse.apply(
                          ("the UID in the bound object reference (%s) does not match the UID in"
                                  + " record. The object might have been deleted and then"
                                  + " recreated")
                              .formatted(uid));
                    }
                    return node.get().equals(nodeNameOf(pod))
                        ? Mono.<Void>empty()
                        : refuse.apply(
                            "node requested token bound to a pod scheduled on a different node");
                  });
        });
  }

  private Mono<Void> admit(ResourceType type, String name, Check check) {
    if (type != BuiltInResources.PODS
        && type != BuiltInResources.NODES
        && type != BuiltInResources.LEASES) {
      return Mono.empty();
    }
    return Mono.deferContextual(
        ctx -> {
          Optional<String> node = nodeOf(ctx);
          if (node.isEmpty()) {
            return Mono.empty();
          }
          String refusal = node.get().isEmpty() ? unknownNode(ctx) : check.refusal(node.get());
          return refusal == null ? Mono.empty() : forbidden(type, name, refusal);
        });
  }

  /** The writer's node name ({@code ""} for a node that names none); empty when not a node. */
  private static Optional<String> nodeOf(ContextView ctx) {
    return NodeIdentity.nodeName(ctx.<UserInfo>getOrEmpty(UserInfo.ATTRIBUTE).orElse(null));
  }

  private static String unknownNode(ContextView ctx) {
    return "could not determine node from user \"%s\""
        .formatted(ctx.<UserInfo>get(UserInfo.ATTRIBUTE).name());
  }

  /** Kubernetes' {@code admission.NewForbidden}: 403 naming the object the request is about. */
  private static Mono<Void> forbidden(ResourceType type, String name, String refusal) {
    ResourceRef ref = new ResourceRef(type.group(), type.plural(), name);
    return Mono.error(new ForbiddenException(ref.describe() + " is forbidden: " + refusal, ref));
  }

  private static String create(String node, ResourceType type, ObjectNode obj) {
    if (type == BuiltInResources.PODS) {
      return mirrorPod(node, obj);
    }
    if (type == BuiltInResources.NODES) {
      String own = ownNode(node, Meta.name(obj));
      if (own != null) {
        return own;
      }
      if (hasConfigSource(obj)) {
        return "node \"%s\" is not allowed to create pods with a non-nil configSource"
            .formatted(node);
      }
      Set<String> forbidden = forbiddenLabels(modifiedLabels(obj, null));
      return forbidden.isEmpty()
          ? null
          : "node \"%s\" is not allowed to set the following labels: %s"
              .formatted(node, String.join(", ", forbidden));
    }
    return lease(node, obj);
  }

  private static String update(
      String node, ResourceType type, String subresource, ObjectNode updated, ObjectNode old) {
    if (type == BuiltInResources.PODS) {
      if (!subresource.equals("status")) {
        return "unexpected operation \"UPDATE\", node \"%s\" can only create and delete mirror pods"
            .formatted(node);
      }
      if (!node.equals(nodeNameOf(old))) {
        return "node \"%s\" can only update pod status for pods with spec.nodeName set to itself"
            .formatted(node);
      }
      if (!Objects.equals(labels(updated), labels(old))) {
        return "node \"%s\" cannot update labels through pod status".formatted(node);
      }
      return null;
    }
    if (type == BuiltInResources.NODES) {
      String own = ownNode(node, Meta.name(old));
      if (own != null) {
        return own;
      }
      JsonNode source = updated.path("spec").path("configSource");
      if (hasConfigSource(updated) && !source.equals(old.path("spec").path("configSource"))) {
        return "node \"%s\" is not allowed to update configSource to a new non-nil configSource"
            .formatted(node);
      }
      if (!sameTaints(updated, old)) {
        return "node \"%s\" is not allowed to modify taints".formatted(node);
      }
      Set<String> forbidden = forbiddenLabels(modifiedLabels(updated, old));
      // Kubernetes' message names no node here.
      return forbidden.isEmpty()
          ? null
          : "is not allowed to modify labels: " + String.join(", ", forbidden);
    }
    return lease(node, old);
  }

  private static String delete(String node, ResourceType type, ObjectNode existing) {
    if (type == BuiltInResources.PODS) {
      return node.equals(nodeNameOf(existing))
          ? null
          : "node \"%s\" can only delete pods with spec.nodeName set to itself".formatted(node);
    }
    if (type == BuiltInResources.NODES) {
      return ownNode(node, Meta.name(existing));
    }
    return lease(node, existing);
  }

  private static String ownNode(String node, String name) {
    String requested = name == null ? "" : name;
    return node.equals(requested)
        ? null
        : "node \"%s\" is not allowed to modify node \"%s\"".formatted(node, requested);
  }

  private static String lease(String node, JsonNode lease) {
    if (!NODE_LEASE_NAMESPACE.equals(Meta.namespace(lease))) {
      return "can only access leases in the \"%s\" system namespace"
          .formatted(NODE_LEASE_NAMESPACE);
    }
    return node.equals(Meta.name(lease))
        ? null
        : "can only access node lease with the same name as the requesting node";
  }

  private static String mirrorPod(String node, ObjectNode pod) {
    if (!pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
      return "pod does not have \"%s\" annotation, node \"%s\" can only create mirror pods"
          .formatted(MIRROR_POD_ANNOTATION, node);
    }
    if (!node.equals(nodeNameOf(pod))) {
      return "node \"%s\" can only create pods with spec.nodeName set to itself".formatted(node);
    }
    JsonNode owners = pod.path("metadata").path("ownerReferences");
    if (owners.size() > 1) {
      return "node \"%s\" can only create pods with a single owner reference set to itself"
          .formatted(node);
    }
    if (owners.isEmpty()) {
      return "node \"%s\" can only create pods with an owner reference set to itself"
          .formatted(node);
    }
    JsonNode owner = owners.get(0);
    if (!owner.path("apiVersion").asString("").equals("v1")
        || !owner.path("kind").asString("").equals("Node")
        || !owner.path("name").asString("").equals(node)) {
      return "node \"%s\" can only create pods with an owner reference set to itself"
          .formatted(node);
    }
    if (!owner.path("controller").asBoolean(false)) {
      return "node \"%s\" can only create pods with a controller owner reference set to itself"
          .formatted(node);
    }
    if (owner.path("blockOwnerDeletion").asBoolean(false)) {
      return "node \"%s\" must not set blockOwnerDeletion on an owner reference".formatted(node);
    }
    JsonNode spec = pod.path("spec");
    if (!spec.path("serviceAccountName").asString("").isEmpty()) {
      return "node \"%s\" can not create pods that reference a service account".formatted(node);
    }
    Set<PodReferences.Ref> refs = PodReferences.of(pod);
    for (String resource : new String[] {"secrets", "configmaps", "persistentvolumeclaims"}) {
      if (refs.stream().anyMatch(r -> r.resource().equals(resource))) {
        return "node \"%s\" can not create pods that reference %s".formatted(node, resource);
      }
    }
    return null;
  }

  private static String nodeNameOf(JsonNode pod) {
    return pod.path("spec").path("nodeName").asString("");
  }

  private static boolean hasConfigSource(JsonNode node) {
    JsonNode source = node.path("spec").path("configSource");
    return !source.isMissingNode() && !source.isNull();
  }

  /** Go's semantic equality: no taints and an empty list are the same. */
  private static boolean sameTaints(JsonNode a, JsonNode b) {
    JsonNode ta = a.path("spec").path("taints");
    JsonNode tb = b.path("spec").path("taints");
    return ta.isEmpty() && tb.isEmpty() || ta.equals(tb);
  }

  private static Map<String, String> labels(JsonNode obj) {
    Map<String, String> out = new java.util.HashMap<>();
    obj.path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    return out;
  }

  /** Keys added, removed or changed between {@code now} and {@code before} (null: none before). */
  private static Set<String> modifiedLabels(JsonNode now, JsonNode before) {
    Map<String, String> a = labels(now);
    Map<String, String> b = before == null ? Map.of() : labels(before);
    Set<String> modified = new TreeSet<>();
    a.forEach(
        (k, v) -> {
          if (!v.equals(b.get(k))) {
            modified.add(k);
          }
        });
    b.forEach(
        (k, v) -> {
          if (!v.equals(a.get(k))) {
            modified.add(k);
          }
        });
    return modified;
  }

  /** Sorted, as Go's {@code sets.String.List()}. */
  private static Set<String> forbiddenLabels(Set<String> modified) {
    Set<String> forbidden = new TreeSet<>();
    for (String label : modified) {
      String namespace = labelNamespace(label);
      if (inNamespace(namespace, RESTRICTED_LABEL_NAMESPACE)) {
        forbidden.add(label);
      }
      if ((inNamespace(namespace, "kubernetes.io") || inNamespace(namespace, "k8s.io"))
          && !isKubeletLabel(label)) {
        forbidden.add(label);
      }
    }
    return forbidden;
  }

  private static boolean isKubeletLabel(String label) {
    if (KUBELET_LABELS.contains(label)) {
      return true;
    }
    String namespace = labelNamespace(label);
    return KUBELET_LABEL_NAMESPACES.stream().anyMatch(n -> inNamespace(namespace, n));
  }

  /** The namespace itself or a subdomain of it. */
  private static boolean inNamespace(String namespace, String of) {
    return namespace.equals(of) || namespace.endsWith("." + of);
  }

  private static String labelNamespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }
}
