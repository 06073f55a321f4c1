package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** ReplicaSets (apps/v1). */
public final class ReplicaSetValidation implements Validator<ReplicaSet> {

  @Override
  public List<FieldError> validate(ReplicaSet rs) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(rs.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    ReplicaSetSpec spec = rs.getSpec() == null ? new ReplicaSetSpec() : rs.getSpec();
    errs.addAll(
        WorkloadValidation.validate(
            spec.getSelector(), spec.getTemplate(), spec.getReplicas(), spec.getMinReadySeconds()));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ReplicaSet rs, ReplicaSet old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(rs, old));
    errs.addAll(
        WorkloadValidation.selectorUnchanged(
            rs.getSpec() == null ? null : rs.getSpec().getSelector(),
            old.getSpec() == null ? null : old.getSpec().getSelector()));
    return errs;
  }
}
