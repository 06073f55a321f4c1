package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Leases (coordination.k8s.io/v1): node heartbeats and leader election. */
public final class LeaseValidation implements Validator<Lease> {

  @Override
  public List<FieldError> validate(Lease lease) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(lease.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    LeaseSpec spec = lease.getSpec();
    if (spec == null) {
      return errs;
    }
    // A lease that expires the moment it is taken would let two holders act at once.
    if (spec.getLeaseDurationSeconds() != null && spec.getLeaseDurationSeconds() <= 0) {
      errs.add(
          FieldError.invalid(
              "spec.leaseDurationSeconds",
              spec.getLeaseDurationSeconds(),
              "must be greater than 0"));
    }
    errs.addAll(
        MetadataValidation.nonNegative("spec.leaseTransitions", spec.getLeaseTransitions()));
    if (!MetadataValidation.isEmpty(spec.getPreferredHolder())
        && MetadataValidation.isEmpty(spec.getStrategy())) {
      errs.add(
          FieldError.forbidden(
              "spec.preferredHolder", "may only be specified if `strategy` is defined"));
    }
    return errs;
  }
}
