package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Optional;

/** The validator for each served kind, looked up by kind name as admission needs it. */
public final class Validators {

  private static final Map<String, Validator<?>> BY_KIND =
      Map.ofEntries(
          Map.entry("Pod", new PodValidation()),
          Map.entry("Service", new ServiceValidation()),
          Map.entry("Namespace", new NamespaceValidation()),
          Map.entry("Node", new NodeValidation()),
          Map.entry("ConfigMap", new ConfigMapValidation()),
          Map.entry("Secret", new SecretValidation()),
          Map.entry("Endpoints", new EndpointsValidation()),
          Map.entry("Event", new EventValidation()),
          Map.entry("Deployment", new DeploymentValidation()),
          Map.entry("ReplicaSet", new ReplicaSetValidation()),
          Map.entry("DaemonSet", new DaemonSetValidation()),
          Map.entry("StatefulSet", new StatefulSetValidation()),
          Map.entry("ControllerRevision", new ControllerRevisionValidation()),
          Map.entry("Job", new JobValidation()),
          Map.entry("HorizontalPodAutoscaler", new HorizontalPodAutoscalerValidation()),
          Map.entry("CronJob", new CronJobValidation()),
          Map.entry("Lease", new LeaseValidation()),
          Map.entry("ResourceQuota", new ResourceQuotaValidation()),
          Map.entry("LimitRange", new LimitRangeValidation()),
          Map.entry("PersistentVolume", new PersistentVolumeValidation()),
          Map.entry("PersistentVolumeClaim", new PersistentVolumeClaimValidation()),
          Map.entry("StorageClass", new StorageClassValidation()),
          Map.entry("NetworkPolicy", new NetworkPolicyValidation()),
          Map.entry("EndpointSlice", new EndpointSliceValidation()),
          Map.entry("Ingress", new IngressValidation()),
          Map.entry("PodDisruptionBudget", new PodDisruptionBudgetValidation()),
          Map.entry("IngressClass", new IngressClassValidation()),
          Map.entry("Role", new RbacValidation.RoleValidation()),
          Map.entry("ClusterRole", new RbacValidation.ClusterRoleValidation()),
          Map.entry("RoleBinding", new RbacValidation.RoleBindingValidation()),
          Map.entry("ClusterRoleBinding", new RbacValidation.ClusterRoleBindingValidation()),
          Map.entry("CertificateSigningRequest", new CertificateSigningRequestValidation()),
          Map.entry("FlowSchema", new FlowControlValidation.FlowSchemaValidation()),
          Map.entry(
              "PriorityLevelConfiguration",
              new FlowControlValidation.PriorityLevelConfigurationValidation()));

  private Validators() {}

  /**
   * The validator for {@code kind} (e.g. {@code Pod}). Kinds without rules of their own get a
   * metadata-only validator; it knows whether the kind is namespaced when the kind is built in.
   *
   * <p>The returned validator casts the object to the kind's model class, so passing an object of
   * another class fails with a {@link ClassCastException}: a programming error, not bad input.
   */
  @SuppressWarnings("unchecked")
  public static Validator<HasMetadata> forKind(String kind) {
    Validator<?> specific = BY_KIND.get(kind);
    if (specific != null) {
      return (Validator<HasMetadata>) specific;
    }
    Optional<ResourceType> type =
        BuiltInResources.registry().all().stream().filter(t -> t.kind().equals(kind)).findFirst();
    return new MetadataOnlyValidation(type.map(ResourceType::namespaced).orElse(null));
  }
}
