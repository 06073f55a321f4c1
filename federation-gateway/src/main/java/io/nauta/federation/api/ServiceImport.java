package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A service imported from other members ({@code multicluster.x-k8s.io/v1alpha1}).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record ServiceImport(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ServiceImportSpec spec,
    ServiceImportStatus status)
    implements KarmadaObject {

  public ServiceImport {
    apiVersion = apiVersion == null ? Karmada.SERVICE_IMPORT_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_SERVICE_IMPORT : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public ServiceImport(ObjectMeta metadata, ServiceImportSpec spec, ServiceImportStatus status) {
    this(null, null, metadata, spec, status);
  }

  public ServiceImport withMetadata(ObjectMeta metadata) {
    return new ServiceImport(apiVersion, kind, metadata, spec, status);
  }

  public ServiceImport withSpec(ServiceImportSpec spec) {
    return new ServiceImport(apiVersion, kind, metadata, spec, status);
  }

  public ServiceImport withStatus(ServiceImportStatus status) {
    return new ServiceImport(apiVersion, kind, metadata, spec, status);
  }
}
