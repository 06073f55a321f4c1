package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.registry.BuiltInResources;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** NodeRestriction's answers, with Kubernetes' messages, case by case. */
class NodeRestrictionTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UserInfo N1 =
      new UserInfo("system:node:n1", List.of("system:nodes", "system:authenticated"));
  private static final UserInfo ADMIN = new UserInfo("nauta-admin", List.of("system:masters"));

  private final NodeRestriction restriction = new NodeRestriction();

  @Test
  void aNodeWritesOnlyItsOwnNode() {
    ObjectNode n2 = obj("{\"metadata\": {\"name\": \"n2\"}}");
    assertRefused(
        N1,
        restriction.admitUpdate(BuiltInResources.NODES, "status", n2, n2),
        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.NODES, n2),
        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    assertRefused(
        N1,
        restriction.admitDelete(BuiltInResources.NODES, n2),
        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    ObjectNode n1 = obj("{\"metadata\": {\"name\": \"n1\"}}");
    assertAdmitted(N1, restriction.admitUpdate(BuiltInResources.NODES, "status", n1, n1));
    assertAdmitted(N1, restriction.admitCreate(BuiltInResources.NODES, n1));
    assertAdmitted(ADMIN, restriction.admitUpdate(BuiltInResources.NODES, "", n2, n2));
  }

  @Test
  void aNodeSetsOnlyTheKubeletsLabelsAndKeepsItsTaints() {
    ObjectNode old = obj("{\"metadata\": {\"name\": \"n1\", \"labels\": {\"a\": \"1\"}}}");
    ObjectNode allowed =
        obj(
            """
            {"metadata": {"name": "n1", "labels": {"a": "2", "example.com/x": "y",
              "kubernetes.io/hostname": "n1", "node.kubernetes.io/exclude-from-lb": "",
              "team.kubelet.kubernetes.io/x": "y"}}}
            """);
    assertAdmitted(N1, restriction.admitUpdate(BuiltInResources.NODES, "", allowed, old));
    ObjectNode role =
        obj(
            """
            {"metadata": {"name": "n1", "labels": {"a": "1",
              "node-role.kubernetes.io/control-plane": "", "node-restriction.kubernetes.io/x": "y"}}}
            """);
    assertRefused(
        N1,
        restriction.admitUpdate(BuiltInResources.NODES, "", role, old),
        "nodes \"n1\" is forbidden: is not allowed to modify labels:"
            + " node-restriction.kubernetes.io/x, node-role.kubernetes.io/control-plane");
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.NODES, role),
        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels:"
            + " node-restriction.kubernetes.io/x, node-role.kubernetes.io/control-plane");
    ObjectNode untainted =
        obj(
            """
            {"metadata": {"name": "n1", "labels": {"a": "1"}}, "spec": {"taints": []}}
            """);
    assertAdmitted(N1, restriction.admitUpdate(BuiltInResources.NODES, "", untainted, old));
    ObjectNode tainted =
        obj(
            """
            {"metadata": {"name": "n1", "labels": {"a": "1"}},
             "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}}
            """);
    assertRefused(
        N1,
        restriction.admitUpdate(BuiltInResources.NODES, "", untainted, tainted),
        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints");
  }

  @Test
  void aNodeUpdatesTheStatusOfItsOwnPodsOnly() {
    ObjectNode other = pod("p2", "n2");
    assertRefused(
        N1,
        restriction.admitUpdate(BuiltInResources.PODS, "status", other, other),
        "pods \"p2\" is forbidden: node \"n1\" can only update pod status for pods with"
            + " spec.nodeName set to itself");
    ObjectNode own = pod("p1", "n1");
    assertAdmitted(N1, restriction.admitUpdate(BuiltInResources.PODS, "status", own, own));
    assertRefused(
        N1,
        restriction.admitUpdate(BuiltInResources.PODS, "", own, own),
        "pods \"p1\" is forbidden: unexpected operation \"UPDATE\", node \"n1\" can only create"
            + " and delete mirror pods");
    assertAdmitted(N1, restriction.admitDelete(BuiltInResources.PODS, own));
    assertRefused(
        N1,
        restriction.admitDelete(BuiltInResources.PODS, other),
        "pods \"p2\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to"
            + " itself");
  }

  @Test
  void aNodeCreatesOnlyMirrorPodsOfItself() {
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.PODS, pod("p", "n1")),
        "pods \"p\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation,"
            + " node \"n1\" can only create mirror pods");
    ObjectNode mirror =
        obj(
            """
            {"metadata": {"namespace": "a", "name": "static-n1",
               "annotations": {"kubernetes.io/config.mirror": "x"},
               "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "n1",
                 "uid": "u", "controller": true}]},
             "spec": {"nodeName": "n1", "containers": [{"name": "c"}]}}
            """);
    assertAdmitted(N1, restriction.admitCreate(BuiltInResources.PODS, mirror));
    ObjectNode withSecret = mirror.deepCopy();
    ((ObjectNode) withSecret.get("spec"))
        .putArray("volumes")
        .addObject()
        .put("name", "v")
        .putObject("secret")
        .put("secretName", "s");
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.PODS, withSecret),
        "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference secrets");
  }

  @Test
  void aNodeUsesOnlyItsOwnLease() {
    assertAdmitted(
        N1, restriction.admitCreate(BuiltInResources.LEASES, lease("kube-node-lease", "n1")));
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.LEASES, lease("kube-node-lease", "n2")),
        "leases.coordination.k8s.io \"n2\" is forbidden: can only access node lease with the same"
            + " name as the requesting node");
    assertRefused(
        N1,
        restriction.admitCreate(BuiltInResources.LEASES, lease("default", "n1")),
        "leases.coordination.k8s.io \"n1\" is forbidden: can only access leases in the"
            + " \"kube-node-lease\" system namespace");
    // Events, Secrets and the rest are no business of NodeRestriction.
    assertAdmitted(N1, restriction.admitCreate(BuiltInResources.EVENTS, lease("a", "e")));
  }

  @Test
  void writesWithoutAUserAreNotANodes() {
    ObjectNode other = pod("p2", "n2");
    assertThat(restriction.admitUpdate(BuiltInResources.PODS, "status", other, other).block())
        .isNull();
  }

  // ---- support

  private static void assertAdmitted(UserInfo user, Mono<Void> admission) {
    admission.contextWrite(ctx -> ctx.put(UserInfo.ATTRIBUTE, user)).block();
  }

  private static void assertRefused(UserInfo user, Mono<Void> admission, String message) {
    assertThatThrownBy(
            () -> admission.contextWrite(ctx -> ctx.put(UserInfo.ATTRIBUTE, user)).block())
        .isInstanceOf(ForbiddenException.class)
        .hasMessage(message);
  }

  private static ObjectNode obj(String json) {
    return (ObjectNode) JSON.readTree(json);
  }

  private static ObjectNode pod(String name, String node) {
    return obj(
        """
        {"metadata": {"namespace": "a", "name": "%s", "labels": {"app": "web"}},
         "spec": {"nodeName": "%s", "containers": [{"name": "c"}]}}
        """
            .formatted(name, node));
  }

  private static ObjectNode lease(String namespace, String name) {
    return obj(
        "{\"metadata\": {\"namespace\": \"%s\", \"name\": \"%s\"}}".formatted(namespace, name));
  }
}
