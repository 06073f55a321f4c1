package io.nauta.api.table;

import java.util.Map;

/** The printer for each kind; kinds without one get NAME and AGE. */
public final class TablePrinters {

  private static final TablePrinter DEFAULT = new DefaultPrinter();

  private static final Map<String, TablePrinter> BY_KIND =
      Map.ofEntries(
          Map.entry("Pod", new PodPrinter()),
          Map.entry("Deployment", new DeploymentPrinter()),
          Map.entry("ReplicaSet", new ReplicaSetPrinter()),
          Map.entry("DaemonSet", new DaemonSetPrinter()),
          Map.entry("StatefulSet", new StatefulSetPrinter()),
          Map.entry("ControllerRevision", new ControllerRevisionPrinter()),
          Map.entry("Job", new JobPrinter()),
          Map.entry("CronJob", new CronJobPrinter()),
          Map.entry("HorizontalPodAutoscaler", new HorizontalPodAutoscalerPrinter()),
          Map.entry("ResourceQuota", new ResourceQuotaPrinter()),
          Map.entry("LimitRange", new LimitRangePrinter()),
          Map.entry("Service", new ServicePrinter()),
          Map.entry("Node", new NodePrinter()),
          Map.entry("Namespace", new NamespacePrinter()),
          Map.entry("Endpoints", new EndpointsPrinter()),
          Map.entry("EndpointSlice", new EndpointSlicePrinter()),
          Map.entry("Event", new EventPrinter()),
          Map.entry("ConfigMap", new ConfigMapPrinter()),
          Map.entry("Secret", new SecretPrinter()),
          Map.entry("Lease", new LeasePrinter()),
          Map.entry("PersistentVolume", new PersistentVolumePrinter()),
          Map.entry("PersistentVolumeClaim", new PersistentVolumeClaimPrinter()),
          Map.entry("StorageClass", new StorageClassPrinter()),
          Map.entry("NetworkPolicy", new NetworkPolicyPrinter()),
          Map.entry("Ingress", new IngressPrinter()),
          Map.entry("PodDisruptionBudget", new PodDisruptionBudgetPrinter()),
          Map.entry("IngressClass", new IngressClassPrinter()),
          Map.entry("Role", new RolePrinter()),
          Map.entry("ClusterRole", new RolePrinter()),
          Map.entry("RoleBinding", new RoleBindingPrinter()),
          Map.entry("ClusterRoleBinding", new RoleBindingPrinter()),
          Map.entry("ServiceAccount", new ServiceAccountPrinter()),
          Map.entry("CertificateSigningRequest", new CertificateSigningRequestPrinter()),
          Map.entry("FlowSchema", new FlowSchemaPrinter()),
          Map.entry("CustomResourceDefinition", new CustomResourceDefinitionPrinter()),
          Map.entry("PriorityLevelConfiguration", new PriorityLevelConfigurationPrinter()));

  private TablePrinters() {}

  public static TablePrinter forKind(String kind) {
    return kind == null ? DEFAULT : BY_KIND.getOrDefault(kind, DEFAULT);
  }
}
