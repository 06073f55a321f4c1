package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.errors.FieldError;
import java.util.List;

/** For kinds without rules of their own: metadata only, with DNS-subdomain names. */
public final class MetadataOnlyValidation implements Validator<HasMetadata> {

  private final Boolean namespaced;

  /**
   * @param namespaced whether objects of the kind live in a namespace; {@code null} when not known,
   *     in which case the namespace is checked only for format when present
   */
  public MetadataOnlyValidation(Boolean namespaced) {
    this.namespaced = namespaced;
  }

  @Override
  public List<FieldError> validate(HasMetadata obj) {
    if (namespaced != null) {
      return MetadataValidation.validate(obj.getMetadata(), NameRule.DNS_SUBDOMAIN, namespaced);
    }
    boolean hasNamespace =
        obj.getMetadata() != null && !MetadataValidation.isEmpty(obj.getMetadata().getNamespace());
    return MetadataValidation.validate(obj.getMetadata(), NameRule.DNS_SUBDOMAIN, hasNamespace);
  }
}
