package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Which templates of its namespace go to which clusters ({@code policy.karmada.io/v1alpha1}).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record PropagationPolicy(
    String apiVersion, String kind, ObjectMeta metadata, PropagationSpec spec)
    implements KarmadaObject {

  public PropagationPolicy {
    apiVersion = apiVersion == null ? Karmada.PROPAGATION_POLICY_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_PROPAGATION_POLICY : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public PropagationPolicy(ObjectMeta metadata, PropagationSpec spec) {
    this(null, null, metadata, spec);
  }

  public PropagationPolicy withMetadata(ObjectMeta metadata) {
    return new PropagationPolicy(apiVersion, kind, metadata, spec);
  }

  public PropagationPolicy withSpec(PropagationSpec spec) {
    return new PropagationPolicy(apiVersion, kind, metadata, spec);
  }
}
