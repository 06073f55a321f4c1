package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A cluster-scoped template bound to clusters ({@code work.karmada.io/v1alpha2}, cluster-scoped,
 * status subresource).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record ClusterResourceBinding(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ResourceBindingSpec spec,
    ResourceBindingStatus status)
    implements KarmadaObject {

  public ClusterResourceBinding {
    apiVersion = apiVersion == null ? Karmada.CLUSTER_RESOURCE_BINDING_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_CLUSTER_RESOURCE_BINDING : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public ClusterResourceBinding(
      ObjectMeta metadata, ResourceBindingSpec spec, ResourceBindingStatus status) {
    this(null, null, metadata, spec, status);
  }

  public ClusterResourceBinding withMetadata(ObjectMeta metadata) {
    return new ClusterResourceBinding(apiVersion, kind, metadata, spec, status);
  }

  public ClusterResourceBinding withSpec(ResourceBindingSpec spec) {
    return new ClusterResourceBinding(apiVersion, kind, metadata, spec, status);
  }

  public ClusterResourceBinding withStatus(ResourceBindingStatus status) {
    return new ClusterResourceBinding(apiVersion, kind, metadata, spec, status);
  }
}
