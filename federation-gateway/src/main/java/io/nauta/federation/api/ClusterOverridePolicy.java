package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What changes in any template for some clusters ({@code policy.karmada.io/v1alpha1},
 * cluster-scoped).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record ClusterOverridePolicy(
    String apiVersion, String kind, ObjectMeta metadata, OverrideSpec spec)
    implements KarmadaObject {

  public ClusterOverridePolicy {
    apiVersion = apiVersion == null ? Karmada.CLUSTER_OVERRIDE_POLICY_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_CLUSTER_OVERRIDE_POLICY : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public ClusterOverridePolicy(ObjectMeta metadata, OverrideSpec spec) {
    this(null, null, metadata, spec);
  }

  public ClusterOverridePolicy withMetadata(ObjectMeta metadata) {
    return new ClusterOverridePolicy(apiVersion, kind, metadata, spec);
  }

  public ClusterOverridePolicy withSpec(OverrideSpec spec) {
    return new ClusterOverridePolicy(apiVersion, kind, metadata, spec);
  }
}
