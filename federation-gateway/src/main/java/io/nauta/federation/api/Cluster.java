package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A member cluster the gateway propagates to ({@code cluster.karmada.io/v1alpha1}, cluster-scoped,
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
public record Cluster(
    String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec, ClusterStatus status)
    implements KarmadaObject {

  public Cluster {
    apiVersion = apiVersion == null ? Karmada.CLUSTER_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_CLUSTER : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public Cluster(ObjectMeta metadata, ClusterSpec spec, ClusterStatus status) {
    this(null, null, metadata, spec, status);
  }

  public Cluster withMetadata(ObjectMeta metadata) {
    return new Cluster(apiVersion, kind, metadata, spec, status);
  }

  public Cluster withSpec(ClusterSpec spec) {
    return new Cluster(apiVersion, kind, metadata, spec, status);
  }

  public Cluster withStatus(ClusterStatus status) {
    return new Cluster(apiVersion, kind, metadata, spec, status);
  }
}
