package io.nauta.core.registry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.List;
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
          Set.of("status", "binding", "log"),
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
  public static final ResourceType CONFIGMAPS =
      type(
          "", "ConfigMap", "configmaps", true, List.of("cm"), List.of(), Set.of(), ConfigMap.class);
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

  public static final ResourceType TOKENREVIEWS = review("TokenReview", TokenReview.class);
  public static final ResourceType SELFSUBJECTREVIEWS =
      review("SelfSubjectReview", SelfSubjectReview.class);

  private BuiltInResources() {}

  /** A cluster-scoped, create-only kind of {@code authentication.k8s.io/v1}. */
  private static ResourceType review(String kind, Class<?> model) {
    return new ResourceType(
        "authentication.k8s.io",
        "v1",
        kind,
        kind.toLowerCase(java.util.Locale.ROOT) + "s",
        kind.toLowerCase(java.util.Locale.ROOT),
        false,
        List.of(),
        List.of(),
        Set.of(),
        model,
        ResourceType.CREATE_ONLY);
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
            REPLICASETS,
            DEPLOYMENTS,
            LEASES,
            SERVICEACCOUNTS,
            TOKENREVIEWS,
            SELFSUBJECTREVIEWS));
  }
}
