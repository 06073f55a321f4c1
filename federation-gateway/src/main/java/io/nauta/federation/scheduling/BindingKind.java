package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ClusterResourceBinding;
import io.nauta.federation.api.KarmadaObject;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import java.util.function.BiFunction;
import java.util.function.Function;

/** ResourceBinding and ClusterResourceBinding, which share their spec and status, alike. */
public record BindingKind<T extends KarmadaObject>(
    ResourceType type,
    Class<T> model,
    Function<T, ResourceBindingSpec> spec,
    Function<T, ResourceBindingStatus> status,
    BiFunction<T, ResourceBindingSpec, T> withSpec,
    BiFunction<T, ResourceBindingStatus, T> withStatus,
    BiFunction<T, ObjectMeta, T> withMetadata,
    BiFunction<ObjectMeta, ResourceBindingSpec, T> create) {

  public static final BindingKind<ResourceBinding> RESOURCE_BINDING =
      new BindingKind<>(
          KarmadaResources.RESOURCE_BINDINGS,
          ResourceBinding.class,
          ResourceBinding::spec,
          ResourceBinding::status,
          ResourceBinding::withSpec,
          ResourceBinding::withStatus,
          ResourceBinding::withMetadata,
          (meta, spec) -> new ResourceBinding(meta, spec, null));

  public static final BindingKind<ClusterResourceBinding> CLUSTER_RESOURCE_BINDING =
      new BindingKind<>(
          KarmadaResources.CLUSTER_RESOURCE_BINDINGS,
          ClusterResourceBinding.class,
          ClusterResourceBinding::spec,
          ClusterResourceBinding::status,
          ClusterResourceBinding::withSpec,
          ClusterResourceBinding::withStatus,
          ClusterResourceBinding::withMetadata,
          (meta, spec) -> new ClusterResourceBinding(meta, spec, null));
}
