package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Exports the Service of the same name and namespace of a member to the others ({@code
 * multicluster.x-k8s.io/v1alpha1}).
 *
 * <p>Immutable: the {@code with...} methods make changed copies; {@link #setMetadata} and {@link
 * #setApiVersion} (of fabric8's HasMetadata) refuse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// Not the KubernetesDeserializer inherited from fabric8: it would read an unregistered kind
// generically.
@JsonDeserialize(using = ValueDeserializer.None.class)
public record ServiceExport(
    String apiVersion, String kind, ObjectMeta metadata, ServiceExportStatus status)
    implements KarmadaObject {

  public ServiceExport {
    apiVersion = apiVersion == null ? Karmada.SERVICE_EXPORT_API_VERSION : apiVersion;
    kind = kind == null ? Karmada.KIND_SERVICE_EXPORT : kind;
  }

  /** With this kind's {@code apiVersion} and {@code kind}. */
  public ServiceExport(ObjectMeta metadata, ServiceExportStatus status) {
    this(null, null, metadata, status);
  }

  public ServiceExport withMetadata(ObjectMeta metadata) {
    return new ServiceExport(apiVersion, kind, metadata, status);
  }

  public ServiceExport withStatus(ServiceExportStatus status) {
    return new ServiceExport(apiVersion, kind, metadata, status);
  }
}
