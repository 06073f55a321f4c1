package io.nauta.federation.api;

import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Set;

/**
 * Karmada's kinds as Nauta resource types, for clients and informers on the gateway ({@code
 * client.resource(KarmadaResources.CLUSTERS, Cluster.class)}). The gateway serves them as
 * CustomResourceDefinitions it installs on start.
 */
public final class KarmadaResources {

  private KarmadaResources() {}

  private static final List<String> CATEGORIES = List.of(Karmada.CATEGORY);

  public static final ResourceType CLUSTERS =
      new ResourceType(
          Karmada.CLUSTER_GROUP,
          Karmada.CLUSTER_VERSION,
          Karmada.KIND_CLUSTER,
          Karmada.CLUSTERS,
          "cluster",
          false,
          List.of(),
          List.of(),
          Set.of("status"),
          Cluster.class);

  public static final ResourceType PROPAGATION_POLICIES =
      new ResourceType(
          Karmada.POLICY_GROUP,
          Karmada.POLICY_VERSION,
          Karmada.KIND_PROPAGATION_POLICY,
          Karmada.PROPAGATION_POLICIES,
          "propagationpolicy",
          true,
          List.of(Karmada.SHORT_PROPAGATION_POLICY),
          CATEGORIES,
          Set.of(),
          PropagationPolicy.class);

  public static final ResourceType CLUSTER_PROPAGATION_POLICIES =
      new ResourceType(
          Karmada.POLICY_GROUP,
          Karmada.POLICY_VERSION,
          Karmada.KIND_CLUSTER_PROPAGATION_POLICY,
          Karmada.CLUSTER_PROPAGATION_POLICIES,
          "clusterpropagationpolicy",
          false,
          List.of(Karmada.SHORT_CLUSTER_PROPAGATION_POLICY),
          CATEGORIES,
          Set.of(),
          ClusterPropagationPolicy.class);

  public static final ResourceType OVERRIDE_POLICIES =
      new ResourceType(
          Karmada.POLICY_GROUP,
          Karmada.POLICY_VERSION,
          Karmada.KIND_OVERRIDE_POLICY,
          Karmada.OVERRIDE_POLICIES,
          "overridepolicy",
          true,
          List.of(Karmada.SHORT_OVERRIDE_POLICY),
          CATEGORIES,
          Set.of(),
          OverridePolicy.class);

  public static final ResourceType CLUSTER_OVERRIDE_POLICIES =
      new ResourceType(
          Karmada.POLICY_GROUP,
          Karmada.POLICY_VERSION,
          Karmada.KIND_CLUSTER_OVERRIDE_POLICY,
          Karmada.CLUSTER_OVERRIDE_POLICIES,
          "clusteroverridepolicy",
          false,
          List.of(Karmada.SHORT_CLUSTER_OVERRIDE_POLICY),
          CATEGORIES,
          Set.of(),
          ClusterOverridePolicy.class);

  public static final ResourceType RESOURCE_BINDINGS =
      new ResourceType(
          Karmada.WORK_GROUP,
          Karmada.WORK_VERSION,
          Karmada.KIND_RESOURCE_BINDING,
          Karmada.RESOURCE_BINDINGS,
          "resourcebinding",
          true,
          List.of(Karmada.SHORT_RESOURCE_BINDING),
          CATEGORIES,
          Set.of("status"),
          ResourceBinding.class);

  public static final ResourceType CLUSTER_RESOURCE_BINDINGS =
      new ResourceType(
          Karmada.WORK_GROUP,
          Karmada.WORK_VERSION,
          Karmada.KIND_CLUSTER_RESOURCE_BINDING,
          Karmada.CLUSTER_RESOURCE_BINDINGS,
          "clusterresourcebinding",
          false,
          List.of(Karmada.SHORT_CLUSTER_RESOURCE_BINDING),
          CATEGORIES,
          Set.of("status"),
          ClusterResourceBinding.class);

  public static final ResourceType SERVICE_EXPORTS =
      new ResourceType(
          Karmada.MCS_GROUP,
          Karmada.MCS_VERSION,
          Karmada.KIND_SERVICE_EXPORT,
          Karmada.SERVICE_EXPORTS,
          "serviceexport",
          true,
          List.of(Karmada.SHORT_SERVICE_EXPORT),
          List.of(),
          Set.of("status"),
          ServiceExport.class);

  public static final ResourceType SERVICE_IMPORTS =
      new ResourceType(
          Karmada.MCS_GROUP,
          Karmada.MCS_VERSION,
          Karmada.KIND_SERVICE_IMPORT,
          Karmada.SERVICE_IMPORTS,
          "serviceimport",
          true,
          List.of(Karmada.SHORT_SERVICE_IMPORT),
          List.of(),
          Set.of("status"),
          ServiceImport.class);

  /** Every kind the gateway serves for Karmada, in install order. */
  public static final List<ResourceType> ALL =
      List.of(
          CLUSTERS,
          PROPAGATION_POLICIES,
          CLUSTER_PROPAGATION_POLICIES,
          OVERRIDE_POLICIES,
          CLUSTER_OVERRIDE_POLICIES,
          RESOURCE_BINDINGS,
          CLUSTER_RESOURCE_BINDINGS,
          SERVICE_EXPORTS,
          SERVICE_IMPORTS);
}
