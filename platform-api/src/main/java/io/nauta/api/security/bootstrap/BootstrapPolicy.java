package io.nauta.api.security.bootstrap;

import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.registry.BuiltInResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default ClusterRoles and ClusterRoleBindings, as Kubernetes' {@code bootstrappolicy} defines
 * them, limited to the kinds Nauta serves; plus one role per Nauta component holding only what that
 * component calls.
 */
public final class BootstrapPolicy {

  static final String RBAC = "rbac.authorization.k8s.io";
  static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
  static final String BOOTSTRAPPING = "kubernetes.io/bootstrapping";
  static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";

  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> READ_WRITE =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  private static final String CERTIFICATES = BuiltInResources.CERTIFICATES_GROUP;
  private static final String BOOTSTRAPPERS = "system:bootstrappers";
  private static final String CLUSTER_DNS_ROLE = "nauta:cluster-dns";
  public static final String INGRESS_CONTROLLER_ROLE = "system:nauta:ingress-controller";
  static final String NODE_CLIENT_ROLE =
      "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
  static final String SELF_NODE_CLIENT_ROLE =
      "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";
  static final String SELF_NODE_SERVER_ROLE =
      "system:certificates.k8s.io:certificatesigningrequests:selfnodeserver";

  static final String JOB_CONTROLLER = "system:controller:job-controller";
  static final String CRONJOB_CONTROLLER = "system:controller:cronjob-controller";
  static final String TTL_AFTER_FINISHED_CONTROLLER =
      "system:controller:ttl-after-finished-controller";
  static final String VOLUME_SCHEDULER = "system:volume-scheduler";

  /**
   * Nauta's: what the agent's {@code nauta-local} provisioner does on its node (PVs made and
   * removed for claims whose selected node it is), granted to every node.
   */
  static final String LOCAL_VOLUME_PROVISIONER = "nauta:local-volume-provisioner";

  /**
   * Nauta's: what the agent's network policy enforcement reads, cluster-wide (peers on every node
   * are resolved from pod IPs), granted to every node, as a network plugin's own role would be.
   */
  static final String NETWORK_POLICY_AGENT = "nauta:network-policy-agent";

  /** Where the namespaced defaults live. */
  public static final String SYSTEM_NAMESPACE = "kube-system";

  /** The ConfigMap in {@code kube-system} holding the client CA ({@code client-ca-file}). */
  public static final String AUTHENTICATION_CONFIG_MAP = "extension-apiserver-authentication";

  static final String AUTHENTICATION_READER_ROLE = "extension-apiserver-authentication-reader";

  private BootstrapPolicy() {}

  public static List<ObjectNode> clusterRoles() {
    List<ObjectNode> roles = new ArrayList<>();
    roles.add(
        role(
            "cluster-admin",
            Map.of(),
            rule(List.of("*"), List.of("*"), List.of("*")),
            urls(List.of("*"), "*")));
    roles.add(aggregated("admin", "admin"));
    roles.add(aggregated("edit", "edit", "admin"));
    roles.add(aggregated("view", "view", "edit"));
    roles.add(
        role(
            "system:aggregate-to-admin",
            Map.of(AGGREGATE_TO + "admin", "true"),
            rule(
                List.of("create"),
                List.of("authorization.k8s.io"),
                List.of("localsubjectaccessreviews")),
            rule(READ_WRITE, List.of(RBAC), List.of("roles", "rolebindings"))));
    roles.add(
        role(
            "system:aggregate-to-edit",
            Map.of(AGGREGATE_TO + "edit", "true"),
            rule(
                WRITE,
                List.of(""),
                List.of("pods", "pods/attach", "pods/exec", "pods/portforward")),
            rule(List.of("create"), List.of(""), List.of("pods/eviction")),
            // upstream's: reading these is connecting too (WebSocket upgrades are GETs)
            rule(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward")),
            rule(
                READ_WRITE,
                List.of(""),
                List.of("services", "endpoints", "configmaps", "secrets", "events")),
            rule(
                WRITE,
                List.of("apps"),
                List.of(
                    "deployments",
                    "deployments/scale",
                    "replicasets",
                    "replicasets/scale",
                    "daemonsets",
                    "statefulsets",
                    "statefulsets/scale")),
            rule(WRITE, List.of(""), List.of("persistentvolumeclaims")),
            rule(WRITE, List.of(BuiltInResources.BATCH_GROUP), List.of("jobs")),
            rule(WRITE, List.of(BuiltInResources.BATCH_GROUP), List.of("cronjobs")),
            rule(
                WRITE,
                List.of(BuiltInResources.AUTOSCALING_GROUP),
                List.of("horizontalpodautoscalers")),
            rule(
                WRITE,
                List.of(BuiltInResources.NETWORKING_GROUP),
                List.of("ingresses", "networkpolicies")),
            rule(WRITE, List.of(BuiltInResources.POLICY_GROUP), List.of("poddisruptionbudgets"))));
    // metrics-server's own (its manifests install it): view, edit and admin read resource metrics.
    roles.add(
        role(
            "system:aggregated-metrics-reader",
            Map.of(
                "k8s-app",
                "metrics-server",
                AGGREGATE_TO + "admin",
                "true",
                AGGREGATE_TO + "edit",
                "true",
                AGGREGATE_TO + "view",
                "true"),
            rule(READ, List.of(BuiltInResources.METRICS_GROUP), List.of("pods", "nodes"))));
    roles.add(
        role(
            "system:aggregate-to-view",
            Map.of(AGGREGATE_TO + "view", "true"),
            rule(
                READ,
                List.of(""),
                List.of(
                    "configmaps",
                    "endpoints",
                    "limitranges",
                    "persistentvolumeclaims",
                    "persistentvolumeclaims/status",
                    "resourcequotas",
                    "resourcequotas/status",
                    "pods",
                    "services",
                    "services/status",
                    "events",
                    "namespaces",
                    "namespaces/status",
                    "pods/log",
                    "pods/status")),
            rule(
                READ,
                List.of("apps"),
                List.of(
                    "deployments",
                    "deployments/scale",
                    "deployments/status",
                    "replicasets",
                    "replicasets/scale",
                    "replicasets/status",
                    "controllerrevisions",
                    "daemonsets",
                    "daemonsets/status",
                    "statefulsets",
                    "statefulsets/scale",
                    "statefulsets/status")),
            rule(READ, List.of(BuiltInResources.BATCH_GROUP), List.of("jobs", "jobs/status")),
            rule(
                READ,
                List.of(BuiltInResources.BATCH_GROUP),
                List.of("cronjobs", "cronjobs/status")),
            rule(
                READ,
                List.of(BuiltInResources.AUTOSCALING_GROUP),
                List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status")),
            rule(
                READ,
                List.of(BuiltInResources.NETWORKING_GROUP),
                List.of("ingresses", "ingresses/status", "networkpolicies")),
            rule(
                READ,
                List.of(BuiltInResources.POLICY_GROUP),
                List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
            rule(READ, List.of(BuiltInResources.DISCOVERY_GROUP), List.of("endpointslices"))));
    roles.add(
        role(
            "system:basic-user",
            Map.of(),
            // selfsubjectreviews (kubectl auth whoami) is served by the authentication work.
            rule(
                List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews")),
            rule(
                List.of("create"),
                List.of("authorization.k8s.io"),
                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"))));
    roles.add(
        role(
            "system:discovery",
            Map.of(),
            urls(
                List.of(
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/"),
                "get")));
    roles.add(
        role(
            "system:public-info-viewer",
            Map.of(),
            urls(List.of("/healthz", "/livez", "/readyz", "/version", "/version/"), "get")));
    // OIDC discovery of the service-account issuer, for every service account (a pod that
    // verifies its cluster's tokens), as Kubernetes binds it; anonymous callers stay refused.
    roles.add(
        role(
            "system:service-account-issuer-discovery",
            Map.of(),
            urls(
                List.of(
                    "/.well-known/openid-configuration",
                    "/.well-known/openid-configuration/",
                    "/openid/v1/jwks",
                    "/openid/v1/jwks/"),
                "get")));
    // Nauta's own: Swagger UI and the document it renders, for everyone (see PublicPaths).
    roles.add(
        role(
            "nauta:swagger-ui-viewer",
            Map.of(),
            urls(
                List.of("/swagger-ui.html", "/swagger-ui/*", "/v3/api-docs", "/v3/api-docs/*"),
                "get")));
    // The console's page and assets, for everyone: its data is read with the user's own token.
    roles.add(
        role("nauta:console-viewer", Map.of(), urls(List.of("/console", "/console/*"), "get")));
    roles.add(
        role(
            "system:kube-scheduler",
            Map.of(),
            rule(READ, List.of(""), List.of("nodes", "pods", "namespaces")),
            rule(List.of("create"), List.of(""), List.of("pods/binding")),
            rule(List.of("patch", "update"), List.of(""), List.of("pods/status")),
            rule(
                List.of("create", "patch", "update"),
                List.of("", BuiltInResources.EVENTS_GROUP),
                List.of("events")),
            // leader election
            rule(
                List.of("get", "create", "update"),
                List.of("coordination.k8s.io"),
                List.of("leases"))));
    roles.add(
        role(
            "system:kube-controller-manager",
            Map.of(),
            // garbage collector: reads every owned kind and deletes or orphans dependents
            rule(
                List.of("get", "list", "watch", "patch", "update", "delete"),
                List.of(""),
                List.of("pods", "services", "configmaps", "secrets")),
            rule(READ_WRITE, List.of(""), List.of("endpoints")),
            rule(READ_WRITE, List.of(BuiltInResources.DISCOVERY_GROUP), List.of("endpointslices")),
            // ... and custom resources too: their kinds are only known at run time, so, as
            // upstream's generic-garbage-collector role, every resource of every group (the
            // collector follows the CustomResourceDefinitions to know which kinds exist).
            rule(
                List.of("get", "list", "watch", "patch", "update", "delete"),
                List.of("*"),
                List.of("*")),
            // service-account controller (a default account per namespace) and root-CA
            // publisher (kube-root-ca.crt in every namespace)
            rule(READ_WRITE, List.of(""), List.of("serviceaccounts")),
            // the statefulset controller makes each pod's claims from its volumeClaimTemplates
            rule(
                List.of("create"),
                List.of(""),
                List.of("pods", "configmaps", "persistentvolumeclaims")),
            rule(List.of("patch", "update"), List.of(""), List.of("pods/status")),
            rule(List.of("get", "list", "watch", "patch", "update"), List.of(""), List.of("nodes")),
            rule(List.of("patch", "update"), List.of(""), List.of("nodes/status")),
            rule(READ, List.of(""), List.of("namespaces")),
            rule(
                List.of("create", "patch", "update"),
                List.of("", BuiltInResources.EVENTS_GROUP),
                List.of("events")),
            rule(READ_WRITE, List.of("apps"), List.of("deployments", "replicasets")),
            // the resource quota controller (upstream's resourcequota-controller role): quotas'
            // status recomputed from every counted kind, which the rule on all resources reads
            rule(List.of("update"), List.of(""), List.of("resourcequotas/status")),
            // the horizontal pod autoscaler: its objects and status, any target's scale, and the
            // pods' measured usage (upstream's horizontal-pod-autoscaler role)
            rule(
                List.of("get", "list", "watch", "update"),
                List.of(BuiltInResources.AUTOSCALING_GROUP),
                List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status")),
            rule(List.of("get", "update"), List.of("*"), List.of("*/scale")),
            // the disruption controller (upstream's disruption-controller role)
            rule(
                List.of("get", "list", "watch"),
                List.of(BuiltInResources.POLICY_GROUP),
                List.of("poddisruptionbudgets")),
            rule(
                List.of("update"),
                List.of(BuiltInResources.POLICY_GROUP),
                List.of("poddisruptionbudgets/status")),
            rule(List.of("get", "list"), List.of("metrics.k8s.io"), List.of("pods")),
            rule(
                List.of("update", "patch"),
                List.of("apps"),
                List.of("deployments/status", "replicasets/status")),
            // daemon set controller
            rule(READ_WRITE, List.of("apps"), List.of("daemonsets", "controllerrevisions")),
            rule(List.of("update", "patch"), List.of("apps"), List.of("daemonsets/status")),
            rule(
                List.of("get", "list", "watch", "create", "update"),
                List.of("coordination.k8s.io"),
                List.of("leases")),
            // CSR signer and approver (Kubernetes' certificate-controller role)
            rule(READ, List.of(CERTIFICATES), List.of("certificatesigningrequests")),
            rule(
                List.of("update"),
                List.of(CERTIFICATES),
                List.of(
                    "certificatesigningrequests/approval", "certificatesigningrequests/status")),
            named(
                rule(List.of("approve"), List.of(CERTIFICATES), List.of("signers")),
                SigningRequests.KUBELET_CLIENT,
                SigningRequests.KUBELET_SERVING),
            named(
                rule(List.of("sign"), List.of(CERTIFICATES), List.of("signers")),
                SigningRequests.KUBE_APISERVER_CLIENT,
                SigningRequests.KUBELET_CLIENT,
                SigningRequests.KUBELET_SERVING),
            rule(
                List.of("create"),
                List.of("authorization.k8s.io"),
                List.of("subjectaccessreviews"))));
    roles.add(daemonSetControllerRole());
    // Kubernetes' role for the scheduler's VolumeBinding plugin (bound to the scheduler below).
    roles.add(
        role(
            VOLUME_SCHEDULER,
            Map.of(),
            rule(
                List.of("get", "list", "watch", "patch", "update"),
                List.of(""),
                List.of("persistentvolumes", "persistentvolumeclaims")),
            rule(READ, List.of(BuiltInResources.STORAGE_GROUP), List.of("storageclasses"))));
    roles.add(
        role(
            LOCAL_VOLUME_PROVISIONER,
            Map.of(),
            rule(
                List.of("get", "list", "watch", "create", "delete"),
                List.of(""),
                List.of("persistentvolumes")),
            rule(READ, List.of(""), List.of("persistentvolumeclaims")),
            rule(READ, List.of(BuiltInResources.STORAGE_GROUP), List.of("storageclasses")),
            rule(
                List.of("create", "update", "patch"),
                List.of("", "events.k8s.io"),
                List.of("events"))));
    roles.add(
        role(
            NETWORK_POLICY_AGENT,
            Map.of(),
            rule(READ, List.of(""), List.of("pods", "namespaces")),
            rule(READ, List.of(BuiltInResources.NETWORKING_GROUP), List.of("networkpolicies"))));
    // The cluster DNS server's reads, as CoreDNS's role of that name (its kubernetes plugin).
    roles.add(
        role(
            "system:coredns",
            Map.of(),
            rule(
                List.of("list", "watch"),
                List.of(""),
                List.of("endpoints", "services", "pods", "namespaces")),
            rule(
                List.of("list", "watch"), List.of("discovery.k8s.io"), List.of("endpointslices"))));
    // Nauta's ingress controller (module ingress-controller), as ingress-nginx's ClusterRole: it
    // routes from Ingresses, Services, Endpoints and TLS Secrets, and writes Ingress status.
    roles.add(
        role(
            INGRESS_CONTROLLER_ROLE,
            Map.of(),
            rule(
                List.of("get", "list", "watch"),
                List.of(""),
                List.of("services", "endpoints", "secrets")),
            rule(
                List.of("get", "list", "watch"),
                List.of(BuiltInResources.NETWORKING_GROUP),
                List.of("ingresses", "ingressclasses")),
            rule(
                List.of("update", "patch"),
                List.of(BuiltInResources.NETWORKING_GROUP),
                List.of("ingresses/status")),
            rule(
                List.of("create", "update", "patch"),
                List.of("", "events.k8s.io"),
                List.of("events"))));
    roles.add(role("system:node", Map.of(), nodeRules().toArray(ObjectNode[]::new)));
    roles.add(jobController());
    roles.add(cronJobController());
    roles.add(
        role(
            TTL_AFTER_FINISHED_CONTROLLER,
            Map.of(),
            rule(
                List.of("get", "list", "watch", "delete"),
                List.of(BuiltInResources.BATCH_GROUP),
                List.of("jobs")),
            rule(
                List.of("create", "update", "patch"),
                List.of("", "events.k8s.io"),
                List.of("events"))));
    // Full access to the agents' API (logs, later exec), as Kubernetes' own role of that name.
    roles.add(
        role(
            "system:kubelet-api-admin",
            Map.of(),
            rule(READ, List.of(""), List.of("nodes")),
            rule(List.of("proxy"), List.of(""), List.of("nodes")),
            rule(
                List.of("*"),
                List.of(""),
                List.of(
                    "nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"))));
    roles.addAll(certificateRoles());
    return roles;
  }

  /**
   * Upstream's {@code system:controller:daemon-set-controller}, for a controller manager that runs
   * each controller under its own service account; Nauta's runs them all as {@code
   * system:kube-controller-manager}, whose role carries the same rules.
   */
  private static ObjectNode daemonSetControllerRole() {
    return role(
        "system:controller:daemon-set-controller",
        Map.of(),
        rule(READ, List.of("extensions", "apps"), List.of("daemonsets")),
        rule(List.of("update"), List.of("extensions", "apps"), List.of("daemonsets/status")),
        rule(List.of("update"), List.of("extensions", "apps"), List.of("daemonsets/finalizers")),
        rule(List.of("list", "watch"), List.of(""), List.of("nodes")),
        rule(List.of("list", "watch", "create", "delete", "patch"), List.of(""), List.of("pods")),
        rule(List.of("create"), List.of(""), List.of("pods/binding")),
        rule(
            List.of("get", "list", "watch", "create", "delete", "update", "patch"),
            List.of("apps"),
            List.of("controllerrevisions")),
        rule(
            List.of("create", "update", "patch"), List.of("", "events.k8s.io"), List.of("events")));
  }

  /**
   * Kubernetes' roles for CSRs: bootstrappers may post and read CSRs ({@code
   * system:node-bootstrapper}); {@code …:nodeclient} and {@code …:selfnodeclient} are what the
   * csrapproving controller asks a SubjectAccessReview about before it approves a node's client
   * certificate, {@code …:selfnodeserver} (Nauta's, beyond Kubernetes: see the controller manager's
   * {@code CsrApprovingController}) before it approves a node's serving certificate; the approver
   * roles grant {@code approve} for one signer.
   */
  private static List<ObjectNode> certificateRoles() {
    return List.of(
        role(
            "system:node-bootstrapper",
            Map.of(),
            rule(
                List.of("create", "get", "list", "watch"),
                List.of(CERTIFICATES),
                List.of("certificatesigningrequests"))),
        role(
            NODE_CLIENT_ROLE,
            Map.of(),
            rule(
                List.of("create"),
                List.of(CERTIFICATES),
                List.of("certificatesigningrequests/nodeclient"))),
        role(
            SELF_NODE_CLIENT_ROLE,
            Map.of(),
            rule(
                List.of("create"),
                List.of(CERTIFICATES),
                List.of("certificatesigningrequests/selfnodeclient"))),
        role(
            SELF_NODE_SERVER_ROLE,
            Map.of(),
            rule(
                List.of("create"),
                List.of(CERTIFICATES),
                List.of("certificatesigningrequests/selfnodeserver"))),
        role(
            "system:certificates.k8s.io:kube-apiserver-client-approver",
            Map.of(),
            named(
                rule(List.of("approve"), List.of(CERTIFICATES), List.of("signers")),
                SigningRequests.KUBE_APISERVER_CLIENT)),
        role(
            "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
            Map.of(),
            named(
                rule(List.of("approve"), List.of(CERTIFICATES), List.of("signers")),
                SigningRequests.KUBELET_CLIENT)));
  }

  /** Kubernetes' {@code system:controller:job-controller}. */
  /** Kubernetes' {@code system:controller:cronjob-controller}. */
  private static ObjectNode cronJobController() {
    String batch = BuiltInResources.BATCH_GROUP;
    return role(
        CRONJOB_CONTROLLER,
        Map.of(),
        rule(List.of("get", "list", "watch", "update"), List.of(batch), List.of("cronjobs")),
        rule(
            List.of("get", "list", "watch", "create", "update", "delete", "patch"),
            List.of(batch),
            List.of("jobs")),
        rule(List.of("update"), List.of(batch), List.of("cronjobs/status")),
        rule(List.of("update"), List.of(batch), List.of("cronjobs/finalizers")),
        rule(List.of("list", "delete"), List.of(""), List.of("pods")),
        rule(
            List.of("create", "update", "patch"), List.of("", "events.k8s.io"), List.of("events")));
  }

  private static ObjectNode jobController() {
    String batch = BuiltInResources.BATCH_GROUP;
    return role(
        JOB_CONTROLLER,
        Map.of(),
        rule(List.of("get", "list", "watch", "update", "patch"), List.of(batch), List.of("jobs")),
        rule(List.of("update"), List.of(batch), List.of("jobs/status")),
        rule(List.of("update"), List.of(batch), List.of("jobs/finalizers")),
        rule(List.of("list", "watch", "create", "delete", "patch"), List.of(""), List.of("pods")),
        rule(
            List.of("create", "update", "patch"), List.of("", "events.k8s.io"), List.of("events")));
  }

  public static List<ObjectNode> clusterRoleBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", subject("Group", "system:masters")),
        binding("system:basic-user", "system:basic-user", subject("Group", "system:authenticated")),
        binding("system:discovery", "system:discovery", subject("Group", "system:authenticated")),
        binding(
            "system:public-info-viewer",
            "system:public-info-viewer",
            subject("Group", "system:authenticated"),
            subject("Group", "system:unauthenticated")),
        binding(
            "system:service-account-issuer-discovery",
            "system:service-account-issuer-discovery",
            subject("Group", "system:serviceaccounts")),
        binding(
            "nauta:swagger-ui-viewer",
            "nauta:swagger-ui-viewer",
            subject("Group", "system:authenticated"),
            subject("Group", "system:unauthenticated")),
        binding(
            "nauta:console-viewer",
            "nauta:console-viewer",
            subject("Group", "system:authenticated"),
            subject("Group", "system:unauthenticated")),
        binding(
            "system:kube-scheduler",
            "system:kube-scheduler",
            subject("User", "system:kube-scheduler")),
        binding(VOLUME_SCHEDULER, VOLUME_SCHEDULER, subject("User", "system:kube-scheduler")),
        binding(
            LOCAL_VOLUME_PROVISIONER, LOCAL_VOLUME_PROVISIONER, subject("Group", "system:nodes")),
        binding(NETWORK_POLICY_AGENT, NETWORK_POLICY_AGENT, subject("Group", "system:nodes")),
        binding(
            "system:kube-controller-manager",
            "system:kube-controller-manager",
            subject("User", "system:kube-controller-manager")),
        // Upstream binds each controller's role to its service account; Nauta's controller
        // manager runs every controller under its own user.
        binding(JOB_CONTROLLER, JOB_CONTROLLER, subject("User", "system:kube-controller-manager")),
        binding(
            CRONJOB_CONTROLLER,
            CRONJOB_CONTROLLER,
            subject("User", "system:kube-controller-manager")),
        binding(
            TTL_AFTER_FINISHED_CONTROLLER,
            TTL_AFTER_FINISHED_CONTROLLER,
            subject("User", "system:kube-controller-manager")),
        binding("system:coredns", "system:coredns", subject("User", ClusterPki.CLUSTER_DNS_USER)),
        binding(
            INGRESS_CONTROLLER_ROLE,
            INGRESS_CONTROLLER_ROLE,
            subject("User", ClusterPki.INGRESS_CONTROLLER_USER)),
        // The API server's identity towards agents (kubeadm binds its apiserver-kubelet-client so).
        binding(
            "system:kube-apiserver-kubelet-client",
            "system:kubelet-api-admin",
            subject("User", ClusterPki.KUBELET_CLIENT_USER)),
        // Joining with a bootstrap token: post a CSR for a node identity, approved automatically;
        // nodes renew their own (kubeadm's kubelet-bootstrap and node-autoapprove bindings).
        binding(
            "system:node-bootstrapper",
            "system:node-bootstrapper",
            subject("Group", BOOTSTRAPPERS)),
        binding(NODE_CLIENT_ROLE, NODE_CLIENT_ROLE, subject("Group", BOOTSTRAPPERS)),
        binding(SELF_NODE_CLIENT_ROLE, SELF_NODE_CLIENT_ROLE, subject("Group", "system:nodes")),
        // Nauta's, as k3s: a node's serving certificate for itself is approved automatically.
        binding(SELF_NODE_SERVER_ROLE, SELF_NODE_SERVER_ROLE, subject("Group", "system:nodes")),
        // No subjects, as in Kubernetes since the Node authorizer: nodes get these rules from it,
        // narrowed to their own objects; whoever binds the role here is trusted with every node.
        binding("system:node", "system:node"),
        // The agent of several simulated nodes (see ClusterPki.NODE_SIMULATOR_USER): in
        // system:nodes, but no system:node:<name>, so the Node authorizer leaves it to RBAC.
        binding("nauta:node-simulator", "system:node", subject("User", "nauta:node-simulator")));
  }

  /**
   * The default Roles in {@code kube-system}, as Kubernetes' {@code NamespaceRoles()} (those Nauta
   * needs): reading the client CA the API server publishes; and kubeadm's in {@code kube-public}:
   * reading {@code cluster-info}.
   */
  public static List<ObjectNode> roles() {
    ObjectNode reader = object("Role", AUTHENTICATION_READER_ROLE, Map.of());
    ((ObjectNode) reader.get("metadata")).put("namespace", SYSTEM_NAMESPACE);
    reader
        .putArray("rules")
        .add(named(rule(READ, List.of(""), List.of("configmaps")), AUTHENTICATION_CONFIG_MAP));
    // The cluster DNS server keeps the kube-dns Service and its Endpoints (its own address).
    ObjectNode dns = object("Role", CLUSTER_DNS_ROLE, Map.of());
    ((ObjectNode) dns.get("metadata")).put("namespace", SYSTEM_NAMESPACE);
    dns.putArray("rules")
        .add(
            named(
                rule(
                    List.of("get", "update", "patch"),
                    List.of(""),
                    List.of("services", "endpoints")),
                "kube-dns"))
        .add(rule(List.of("create"), List.of(""), List.of("services", "endpoints")));
    // kubeadm's: anyone, unauthenticated, may read the cluster's address and CA (cluster-info).
    ObjectNode clusterInfo = object("Role", ClusterInfo.READER, Map.of());
    ((ObjectNode) clusterInfo.get("metadata")).put("namespace", ClusterInfo.NAMESPACE);
    clusterInfo
        .putArray("rules")
        .add(named(rule(List.of("get"), List.of(""), List.of("configmaps")), ClusterInfo.NAME));
    return List.of(reader, dns, clusterInfo);
  }

  /**
   * The default RoleBindings in {@code kube-system}, and kubeadm's {@code
   * kubeadm:bootstrap-signer-clusterinfo} in {@code kube-public} ({@code system:anonymous} gets
   * {@code cluster-info}). Nauta's own: nodes read the client CA (to authenticate the API server's
   * client certificate on the agent's port) with their node identity, so that a node joining with a
   * bootstrap token is given nothing else. The Node authorizer has no opinion on a ConfigMap no pod
   * of the node uses, so RBAC decides.
   */
  public static List<ObjectNode> roleBindings() {
    ObjectNode b = object("RoleBinding", "nauta:node-client-ca-reader", Map.of());
    ((ObjectNode) b.get("metadata")).put("namespace", SYSTEM_NAMESPACE);
    b.putObject("roleRef")
        .put("apiGroup", RBAC)
        .put("kind", "Role")
        .put("name", AUTHENTICATION_READER_ROLE);
    b.putArray("subjects").add(subject("Group", "system:nodes"));
    ObjectNode dns = object("RoleBinding", CLUSTER_DNS_ROLE, Map.of());
    ((ObjectNode) dns.get("metadata")).put("namespace", SYSTEM_NAMESPACE);
    dns.putObject("roleRef")
        .put("apiGroup", RBAC)
        .put("kind", "Role")
        .put("name", CLUSTER_DNS_ROLE);
    dns.putArray("subjects").add(subject("User", ClusterPki.CLUSTER_DNS_USER));
    ObjectNode clusterInfo = object("RoleBinding", ClusterInfo.READER, Map.of());
    ((ObjectNode) clusterInfo.get("metadata")).put("namespace", ClusterInfo.NAMESPACE);
    clusterInfo
        .putObject("roleRef")
        .put("apiGroup", RBAC)
        .put("kind", "Role")
        .put("name", ClusterInfo.READER);
    clusterInfo.putArray("subjects").add(subject("User", "system:anonymous"));
    return List.of(b, dns, clusterInfo);
  }

  /**
   * Subjects a default binding once had and must lose, taken away at start (Kubernetes left it to
   * "tightening reconciliation"): {@code system:nodes} held {@code system:node} before the Node
   * authorizer, which a cluster made then still has.
   */
  public static Map<String, List<ObjectNode>> retiredSubjects() {
    return Map.of("system:node", List.of(subject("Group", "system:nodes")));
  }

  /**
   * What every node may do, as Kubernetes' {@code bootstrappolicy.NodeRules()} (limited to what
   * Nauta serves): the rules of the {@code system:node} ClusterRole, and the Node authorizer's
   * rules for requests it does not narrow itself (Secrets, ConfigMaps, claims, tokens and Leases it
   * decides by the node's pods and name).
   */
  public static List<ObjectNode> nodeRules() {
    return List.of(
        // checking who calls the agent's own port (TokenReview, SubjectAccessReview)
        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
        rule(
            List.of("create"),
            List.of("authorization.k8s.io"),
            List.of("subjectaccessreviews", "localsubjectaccessreviews")),
        // services for the pods' environment and, with endpoints, for the agent's service
        // proxy (Nauta's agent is also kube-proxy, whose system:node-proxier reads both)
        rule(READ, List.of(""), List.of("services", "endpoints")),
        // registering and reporting its Node; NodeRestriction keeps a node to its own
        rule(List.of("create", "get", "list", "watch"), List.of(""), List.of("nodes")),
        rule(List.of("update", "patch"), List.of(""), List.of("nodes/status")),
        rule(List.of("update", "patch"), List.of(""), List.of("nodes")),
        rule(List.of("create", "update", "patch"), List.of("", "events.k8s.io"), List.of("events")),
        rule(READ, List.of(""), List.of("pods")),
        // mirror pods, deleting its pods, their status; NodeRestriction keeps a node to its pods
        rule(List.of("create", "delete"), List.of(""), List.of("pods")),
        rule(List.of("update", "patch"), List.of(""), List.of("pods/status")),
        rule(List.of("create"), List.of(""), List.of("pods/eviction")),
        // narrowed by the Node authorizer to what the node's pods refer to
        rule(READ, List.of(""), List.of("secrets", "configmaps")),
        rule(List.of("get"), List.of(""), List.of("persistentvolumeclaims", "persistentvolumes")),
        rule(List.of("update", "patch"), List.of(""), List.of("persistentvolumeclaims/status")),
        rule(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
        // rotating its own client certificate
        rule(
            List.of("create", "get", "list", "watch"),
            List.of("certificates.k8s.io"),
            List.of("certificatesigningrequests")),
        rule(
            List.of("get", "create", "update", "patch", "delete"),
            List.of("coordination.k8s.io"),
            List.of("leases")));
  }

  public static ObjectNode role(String name, Map<String, String> labels, ObjectNode... rules) {
    ObjectNode role = object("ClusterRole", name, labels);
    ArrayNode array = role.putArray("rules");
    for (ObjectNode r : rules) {
      array.add(r);
    }
    return role;
  }

  /** A role whose rules are those of every ClusterRole labelled {@code aggregate-to-<to>}. */
  private static ObjectNode aggregated(String name, String to, String... alsoInto) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (String parent : alsoInto) {
      labels.put(AGGREGATE_TO + parent, "true");
    }
    ObjectNode role = object("ClusterRole", name, labels);
    role.putObject("aggregationRule")
        .putArray("clusterRoleSelectors")
        .addObject()
        .putObject("matchLabels")
        .put(AGGREGATE_TO + to, "true");
    role.putArray("rules");
    return role;
  }

  public static ObjectNode binding(String name, String role, ObjectNode... subjects) {
    ObjectNode b = object("ClusterRoleBinding", name, Map.of());
    b.putObject("roleRef").put("apiGroup", RBAC).put("kind", "ClusterRole").put("name", role);
    ArrayNode array = b.putArray("subjects");
    for (ObjectNode s : subjects) {
      array.add(s);
    }
    return b;
  }

  public static ObjectNode subject(String kind, String name) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("apiGroup", RBAC)
        .put("kind", kind)
        .put("name", name);
  }

  private static ObjectNode object(String kind, String name, Map<String, String> labels) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", RBAC + "/v1").put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.putObject("annotations").put(AUTOUPDATE, "true");
    ObjectNode l = meta.putObject("labels");
    l.put(BOOTSTRAPPING, "rbac-defaults");
    labels.forEach(l::put);
    return o;
  }

  public static ObjectNode rule(List<String> verbs, List<String> groups, List<String> resources) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.putArray("apiGroups").addAll(strings(groups));
    r.putArray("resources").addAll(strings(resources));
    r.putArray("verbs").addAll(strings(verbs));
    return r;
  }

  /** {@code rule} limited to the objects named {@code names} ({@code resourceNames}). */
  private static ObjectNode named(ObjectNode rule, String... names) {
    rule.putArray("resourceNames").addAll(strings(List.of(names)));
    return rule;
  }

  private static ObjectNode urls(List<String> urls, String... verbs) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.putArray("nonResourceURLs").addAll(strings(urls));
    r.putArray("verbs").addAll(strings(List.of(verbs)));
    return r;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }
}
