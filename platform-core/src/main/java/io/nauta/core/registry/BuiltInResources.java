package io.nauta.core.registry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.FlowSchema;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.PriorityLevelConfiguration;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Kubernetes kinds Nauta serves, with the names and short names kubectl knows them by. */
public final class BuiltInResources {

  public static final ResourceType NAMESPACES =
      type(
          "",
          "Namespace",
          "namespaces",
          false,
          List.of("ns"),
          List.of(),
          Set.of("status"),
          Namespace.class);
  public static final ResourceType PODS =
      type(
          "",
          "Pod",
          "pods",
          true,
          List.of("po"),
          List.of("all"),
          Set.of("status", "binding", "eviction", "log", "exec", "attach", "portforward"),
          Pod.class);
  public static final ResourceType NODES =
      type("", "Node", "nodes", false, List.of("no"), List.of(), Set.of("status"), Node.class);
  public static final ResourceType SERVICES =
      type(
          "",
          "Service",
          "services",
          true,
          List.of("svc"),
          List.of("all"),
          Set.of("status"),
          Service.class);
  public static final ResourceType ENDPOINTS =
      type("", "Endpoints", "endpoints", true, List.of("ep"), List.of(), Set.of(), Endpoints.class);
  public static final ResourceType EVENTS =
      type("", "Event", "events", true, List.of("ev"), List.of(), Set.of(), Event.class);

  public static final String EVENTS_GROUP = "events.k8s.io";

  /**
   * The core Events served as {@code events.k8s.io/v1} (what client-go's new event recorder
   * writes), converted from and to the stored core Events by the API server.
   */
  public static final ResourceType EVENTS_V1 =
      new ResourceType(
          EVENTS_GROUP,
          "v1",
          "Event",
          "events",
          "event",
          true,
          List.of("ev"),
          List.of(),
          Set.of(),
          io.fabric8.kubernetes.api.model.events.v1.Event.class);

  public static final ResourceType CONFIGMAPS =
      type(
          "", "ConfigMap", "configmaps", true, List.of("cm"), List.of(), Set.of(), ConfigMap.class);

  /** Namespaced quotas on usage; {@code status} is the quota controller's and admission's. */
  public static final ResourceType RESOURCE_QUOTAS =
      type(
          "",
          "ResourceQuota",
          "resourcequotas",
          true,
          List.of("quota"),
          List.of(),
          Set.of("status"),
          ResourceQuota.class);

  public static final ResourceType LIMIT_RANGES =
      type(
          "",
          "LimitRange",
          "limitranges",
          true,
          List.of("limits"),
          List.of(),
          Set.of(),
          LimitRange.class);
  public static final ResourceType SECRETS =
      type("", "Secret", "secrets", true, List.of(), List.of(), Set.of(), Secret.class);
  public static final ResourceType REPLICASETS =
      type(
          "apps",
          "ReplicaSet",
          "replicasets",
          true,
          List.of("rs"),
          List.of("all"),
          Set.of("status", "scale"),
          ReplicaSet.class);
  public static final ResourceType DEPLOYMENTS =
      type(
          "apps",
          "Deployment",
          "deployments",
          true,
          List.of("deploy"),
          List.of("all"),
          Set.of("status", "scale"),
          Deployment.class);
  public static final ResourceType DAEMONSETS =
      type(
          "apps",
          "DaemonSet",
          "daemonsets",
          true,
          List.of("ds"),
          List.of("all"),
          Set.of("status"),
          DaemonSet.class);
  public static final ResourceType STATEFULSETS =
      type(
          "apps",
          "StatefulSet",
          "statefulsets",
          true,
          List.of("sts"),
          List.of("all"),
          Set.of("status", "scale"),
          StatefulSet.class);

  public static final String AUTOSCALING_GROUP = "autoscaling";

  /** HorizontalPodAutoscalers, stored as {@code autoscaling/v2} (the preferred version). */
  public static final ResourceType HORIZONTAL_POD_AUTOSCALERS =
      new ResourceType(
          AUTOSCALING_GROUP,
          "v2",
          "HorizontalPodAutoscaler",
          "horizontalpodautoscalers",
          "horizontalpodautoscaler",
          true,
          List.of("hpa"),
          List.of("all"),
          Set.of("status"),
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class);

  /**
   * The same autoscalers served as {@code autoscaling/v1} (what kubectl autoscale posts up to
   * 1.33), converted from and to the stored v2 by the API server.
   */
  public static final ResourceType HORIZONTAL_POD_AUTOSCALERS_V1 =
      new ResourceType(
          AUTOSCALING_GROUP,
          "v1",
          "HorizontalPodAutoscaler",
          "horizontalpodautoscalers",
          "horizontalpodautoscaler",
          true,
          List.of("hpa"),
          List.of("all"),
          Set.of("status"),
          io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class);

  public static final String POLICY_GROUP = "policy";

  /**
   * PodDisruptionBudgets (policy/v1): the budget evictions ({@code pods/eviction}) are held to; the
   * disruption controller keeps their status.
   */
  public static final ResourceType POD_DISRUPTION_BUDGETS =
      type(
          POLICY_GROUP,
          "PodDisruptionBudget",
          "poddisruptionbudgets",
          true,
          List.of("pdb"),
          List.of(),
          Set.of("status"),
          io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);

  /** Snapshots of a DaemonSet's (or StatefulSet's) template, its rollout history. */
  public static final ResourceType CONTROLLER_REVISIONS =
      type(
          "apps",
          "ControllerRevision",
          "controllerrevisions",
          true,
          List.of(),
          List.of(),
          Set.of(),
          ControllerRevision.class);

  public static final ResourceType PERSISTENT_VOLUMES =
      type(
          "",
          "PersistentVolume",
          "persistentvolumes",
          false,
          List.of("pv"),
          List.of(),
          Set.of("status"),
          PersistentVolume.class);
  public static final ResourceType PERSISTENT_VOLUME_CLAIMS =
      type(
          "",
          "PersistentVolumeClaim",
          "persistentvolumeclaims",
          true,
          List.of("pvc"),
          List.of(),
          Set.of("status"),
          PersistentVolumeClaim.class);

  public static final String STORAGE_GROUP = "storage.k8s.io";
  public static final ResourceType STORAGE_CLASSES =
      type(
          STORAGE_GROUP,
          "StorageClass",
          "storageclasses",
          false,
          List.of("sc"),
          List.of(),
          Set.of(),
          StorageClass.class);

  public static final String DISCOVERY_GROUP = "discovery.k8s.io";

  /**
   * EndpointSlices, kept for every Service with a selector by the endpointslice controller (the API
   * clients and service meshes read since Endpoints was deprecated in 1.33).
   */
  public static final ResourceType ENDPOINT_SLICES =
      type(
          DISCOVERY_GROUP,
          "EndpointSlice",
          "endpointslices",
          true,
          List.of(),
          List.of(),
          Set.of(),
          EndpointSlice.class);

  public static final String NETWORKING_GROUP = "networking.k8s.io";

  /** NetworkPolicies, enforced by the node agent on the Docker runtime. */
  public static final ResourceType NETWORK_POLICIES =
      type(
          NETWORKING_GROUP,
          "NetworkPolicy",
          "networkpolicies",
          true,
          List.of("netpol"),
          List.of(),
          Set.of(),
          NetworkPolicy.class);

  /** Ingresses, routed by the ingress controller (module ingress-controller, class nauta). */
  public static final ResourceType INGRESSES =
      type(
          NETWORKING_GROUP,
          "Ingress",
          "ingresses",
          true,
          List.of("ing"),
          List.of(),
          Set.of("status"),
          Ingress.class);

  public static final ResourceType INGRESS_CLASSES =
      type(
          NETWORKING_GROUP,
          "IngressClass",
          "ingressclasses",
          false,
          List.of(),
          List.of(),
          Set.of(),
          IngressClass.class);

  public static final String BATCH_GROUP = "batch";
  public static final ResourceType JOBS =
      type(
          BATCH_GROUP, "Job", "jobs", true, List.of(), List.of("all"), Set.of("status"), Job.class);
  public static final ResourceType CRONJOBS =
      type(
          BATCH_GROUP,
          "CronJob",
          "cronjobs",
          true,
          List.of("cj"),
          List.of("all"),
          Set.of("status"),
          CronJob.class);
  public static final ResourceType LEASES =
      type(
          "coordination.k8s.io",
          "Lease",
          "leases",
          true,
          List.of(),
          List.of(),
          Set.of(),
          Lease.class);

  public static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  public static final ResourceType ROLES =
      type(RBAC_GROUP, "Role", "roles", true, List.of(), List.of(), Set.of(), Role.class);
  public static final ResourceType ROLE_BINDINGS =
      type(
          RBAC_GROUP,
          "RoleBinding",
          "rolebindings",
          true,
          List.of(),
          List.of(),
          Set.of(),
          RoleBinding.class);
  public static final ResourceType CLUSTER_ROLES =
      type(
          RBAC_GROUP,
          "ClusterRole",
          "clusterroles",
          false,
          List.of(),
          List.of(),
          Set.of(),
          ClusterRole.class);
  public static final ResourceType CLUSTER_ROLE_BINDINGS =
      type(
          RBAC_GROUP,
          "ClusterRoleBinding",
          "clusterrolebindings",
          false,
          List.of(),
          List.of(),
          Set.of(),
          ClusterRoleBinding.class);

  public static final String AUTHORIZATION_GROUP = "authorization.k8s.io";
  public static final ResourceType SELF_SUBJECT_ACCESS_REVIEWS =
      review(AUTHORIZATION_GROUP, "SelfSubjectAccessReview", false, SelfSubjectAccessReview.class);
  public static final ResourceType SELF_SUBJECT_RULES_REVIEWS =
      review(AUTHORIZATION_GROUP, "SelfSubjectRulesReview", false, SelfSubjectRulesReview.class);
  public static final ResourceType SUBJECT_ACCESS_REVIEWS =
      review(AUTHORIZATION_GROUP, "SubjectAccessReview", false, SubjectAccessReview.class);
  public static final ResourceType LOCAL_SUBJECT_ACCESS_REVIEWS =
      review(AUTHORIZATION_GROUP, "LocalSubjectAccessReview", true, LocalSubjectAccessReview.class);

  /** {@code token} is TokenRequest: a create-only subresource issuing a signed token. */
  public static final ResourceType SERVICEACCOUNTS =
      type(
          "",
          "ServiceAccount",
          "serviceaccounts",
          true,
          List.of("sa"),
          List.of(),
          Set.of("token"),
          ServiceAccount.class);

  public static final String AUTHENTICATION_GROUP = "authentication.k8s.io";
  public static final ResourceType TOKENREVIEWS =
      review(AUTHENTICATION_GROUP, "TokenReview", false, TokenReview.class);
  public static final ResourceType SELFSUBJECTREVIEWS =
      review(AUTHENTICATION_GROUP, "SelfSubjectReview", false, SelfSubjectReview.class);

  public static final String CERTIFICATES_GROUP = "certificates.k8s.io";

  public static final String METRICS_GROUP = "metrics.k8s.io";

  /** metrics-server's resource metrics API: answered from the API server's memory, never stored. */
  public static final ResourceType NODE_METRICS =
      metrics("NodeMetrics", "nodes", "nodemetrics", false, NodeMetrics.class);

  public static final ResourceType POD_METRICS =
      metrics("PodMetrics", "pods", "podmetrics", true, PodMetrics.class);

  /**
   * {@code approval} is the subresource through which only the Approved and Denied conditions
   * change; {@code status} the one through which a signer writes the certificate.
   */
  public static final ResourceType CERTIFICATE_SIGNING_REQUESTS =
      type(
          CERTIFICATES_GROUP,
          "CertificateSigningRequest",
          "certificatesigningrequests",
          false,
          List.of("csr"),
          List.of(),
          Set.of("status", "approval"),
          CertificateSigningRequest.class);

  public static final String FLOWCONTROL_GROUP = "flowcontrol.apiserver.k8s.io";

  /** API priority and fairness: how requests are classified into priority levels. */
  public static final ResourceType FLOW_SCHEMAS =
      type(
          FLOWCONTROL_GROUP,
          "FlowSchema",
          "flowschemas",
          false,
          List.of(),
          List.of(),
          Set.of("status"),
          FlowSchema.class);

  /** API priority and fairness: the concurrency shares and queuing of each priority level. */
  public static final ResourceType PRIORITY_LEVEL_CONFIGURATIONS =
      type(
          FLOWCONTROL_GROUP,
          "PriorityLevelConfiguration",
          "prioritylevelconfigurations",
          false,
          List.of(),
          List.of(),
          Set.of("status"),
          PriorityLevelConfiguration.class);

  public static final String APIEXTENSIONS_GROUP = "apiextensions.k8s.io";

  /**
   * Kinds added at run time: each established definition adds its kind to the registry (see {@link
   * ResourceRegistry#put}).
   */
  public static final ResourceType CUSTOM_RESOURCE_DEFINITIONS =
      type(
          APIEXTENSIONS_GROUP,
          "CustomResourceDefinition",
          "customresourcedefinitions",
          false,
          List.of("crd", "crds"),
          List.of("api-extensions"),
          Set.of("status"),
          io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);

  private BuiltInResources() {}

  /** A review (authentication or authorization): posted, answered, never stored. */
  private static ResourceType review(
      String group, String kind, boolean namespaced, Class<?> model) {
    String lower = kind.toLowerCase(java.util.Locale.ROOT);
    return new ResourceType(
        group,
        "v1",
        kind,
        lower + "s",
        lower,
        namespaced,
        List.of(),
        List.of(),
        Set.of(),
        model,
        ResourceType.CREATE_ONLY);
  }

  private static ResourceType metrics(
      String kind, String plural, String singular, boolean namespaced, Class<?> model) {
    return new ResourceType(
        METRICS_GROUP,
        "v1beta1",
        kind,
        plural,
        singular,
        namespaced,
        List.of(),
        List.of(),
        Set.of(),
        model,
        ResourceType.READ_ONLY);
  }

  private static ResourceType type(
      String group,
      String kind,
      String plural,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      Set<String> subresources,
      Class<?> model) {
    return new ResourceType(
        group,
        "v1",
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        shortNames,
        categories,
        subresources,
        model);
  }

  public static ResourceRegistry registry() {
    return new ResourceRegistry(
        List.of(
            NAMESPACES,
            PODS,
            NODES,
            SERVICES,
            ENDPOINTS,
            EVENTS,
            CONFIGMAPS,
            SECRETS,
            RESOURCE_QUOTAS,
            LIMIT_RANGES,
            REPLICASETS,
            DEPLOYMENTS,
            DAEMONSETS,
            STATEFULSETS,
            CONTROLLER_REVISIONS,
            HORIZONTAL_POD_AUTOSCALERS,
            HORIZONTAL_POD_AUTOSCALERS_V1,
            POD_DISRUPTION_BUDGETS,
            PERSISTENT_VOLUMES,
            PERSISTENT_VOLUME_CLAIMS,
            JOBS,
            CRONJOBS,
            LEASES,
            ROLES,
            ROLE_BINDINGS,
            CLUSTER_ROLES,
            CLUSTER_ROLE_BINDINGS,
            STORAGE_CLASSES,
            NETWORK_POLICIES,
            INGRESSES,
            INGRESS_CLASSES,
            ENDPOINT_SLICES,
            SELF_SUBJECT_ACCESS_REVIEWS,
            SELF_SUBJECT_RULES_REVIEWS,
            SUBJECT_ACCESS_REVIEWS,
            LOCAL_SUBJECT_ACCESS_REVIEWS,
            SERVICEACCOUNTS,
            TOKENREVIEWS,
            SELFSUBJECTREVIEWS,
            CERTIFICATE_SIGNING_REQUESTS,
            FLOW_SCHEMAS,
            PRIORITY_LEVEL_CONFIGURATIONS,
            CUSTOM_RESOURCE_DEFINITIONS,
            NODE_METRICS,
            POD_METRICS,
            EVENTS_V1),
        Map.of(EVENTS_V1, EVENTS));
  }
}
