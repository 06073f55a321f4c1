package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * ControllerRevisions (apps/v1): a snapshot of a controller's template that never changes, as
 * upstream's {@code ValidateControllerRevision(Update)}.
 */
public final class ControllerRevisionValidation implements Validator<ControllerRevision> {

  @Override
  public List<FieldError> validate(ControllerRevision revision) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(revision.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    if (revision.getData() == null) {
      errs.add(FieldError.required("data", "data is mandatory"));
    }
    errs.addAll(MetadataValidation.nonNegative("revision", revision.getRevision()));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ControllerRevision revision, ControllerRevision old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(revision, old));
    if (!JsonComparison.same(revision.getData(), old.getData())) {
      errs.add(FieldError.immutable("data", revision.getData()));
    }
    return errs;
  }
}
