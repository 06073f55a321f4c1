package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;

/**
 * ResourceBinding or ClusterResourceBinding: one shape, both read as the {@link ResourceBinding}
 * record (a stored object keeps its own {@code apiVersion} and {@code kind} through a read and an
 * update), so every controller shares one informer per kind. Only a new binding needs to know which
 * kind it is.
 */
public record BindingKind(ResourceType type, String apiVersion, String kind) {

  public static final BindingKind RESOURCE_BINDING =
      new BindingKind(
          KarmadaResources.RESOURCE_BINDINGS,
          Karmada.RESOURCE_BINDING_API_VERSION,
          Karmada.KIND_RESOURCE_BINDING);

  public static final BindingKind CLUSTER_RESOURCE_BINDING =
      new BindingKind(
          KarmadaResources.CLUSTER_RESOURCE_BINDINGS,
          Karmada.CLUSTER_RESOURCE_BINDING_API_VERSION,
          Karmada.KIND_CLUSTER_RESOURCE_BINDING);

  /** The kind that binds templates of {@code templateType}: cluster-scoped or namespaced. */
  public static BindingKind forTemplate(ResourceType templateType) {
    return templateType.namespaced() ? RESOURCE_BINDING : CLUSTER_RESOURCE_BINDING;
  }

  /** A new binding of this kind. */
  public ResourceBinding create(ObjectMeta metadata, ResourceBindingSpec spec) {
    return new ResourceBinding(apiVersion, kind, metadata, spec, null);
  }
}
