package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A namespaced template bound to clusters: the scheduling decision and the members' reports ({@code
 * work.karmada.io/v1alpha2}, status subresource).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record ResourceBinding(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ResourceBindingSpec spec,
    ResourceBindingStatus status)
    implements KarmadaObject {

  public ResourceBinding {
    apiVersion = apiVersion == null ? Karmada.RESOURCE_BINDING_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_RESOURCE_BINDING : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public ResourceBinding(
      ObjectMeta metadata, ResourceBindingSpec spec, ResourceBindingStatus status) {
    this(null, null, metadata, spec, status);
  }

  public ResourceBinding withMetadata(ObjectMeta metadata) {
    return new ResourceBinding(apiVersion, kind, metadata, spec, status);
  }

  public ResourceBinding withSpec(ResourceBindingSpec spec) {
    return new ResourceBinding(apiVersion, kind, metadata, spec, status);
  }

  public ResourceBinding withStatus(ResourceBindingStatus status) {
    return new ResourceBinding(apiVersion, kind, metadata, spec, status);
  }
}
