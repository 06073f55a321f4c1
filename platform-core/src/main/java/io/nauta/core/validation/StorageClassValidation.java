package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * StorageClasses (storage.k8s.io/v1), as upstream's {@code ValidateStorageClass} and {@code
 * ValidateStorageClassUpdate}: a provisioner that is a qualified name, known reclaim policy and
 * binding mode; parameters, provisioner, reclaim policy and binding mode never change.
 */
public final class StorageClassValidation implements Validator<StorageClass> {

  static final List<String> RECLAIM_POLICIES = List.of("Delete", "Retain");
  static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");
  private static final int MAX_PARAMETERS = 512;
  private static final int MAX_PARAMETERS_SIZE = 256 * 1024;

  @Override
  public List<FieldError> validate(StorageClass sc) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(sc.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
    String provisioner = Objects.toString(sc.getProvisioner(), "");
    if (provisioner.isEmpty()) {
      errs.add(FieldError.required("provisioner", ""));
    } else {
      String lower = provisioner.toLowerCase(java.util.Locale.ROOT);
      NameValidation.qualifiedName(lower)
          .forEach(m -> errs.add(FieldError.invalid("provisioner", lower, m)));
    }
    errs.addAll(parameters(sc.getParameters()));
    String policy = sc.getReclaimPolicy();
    if (policy != null && !policy.isEmpty() && !RECLAIM_POLICIES.contains(policy)) {
      errs.add(
          FieldError.notSupported(
              "reclaimPolicy", policy, EnumValidation.supported(RECLAIM_POLICIES)));
    }
    String mode = sc.getVolumeBindingMode();
    if (mode == null) {
      errs.add(FieldError.required("volumeBindingMode", ""));
    } else if (!BINDING_MODES.contains(mode)) {
      errs.add(
          FieldError.notSupported(
              "volumeBindingMode", mode, EnumValidation.supported(BINDING_MODES)));
    }
    return errs;
  }

  private static List<FieldError> parameters(Map<String, String> params) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, String> p = MetadataValidation.orEmpty(params);
    if (p.size() > MAX_PARAMETERS) {
      errs.add(MetadataValidation.tooLong("parameters", MAX_PARAMETERS));
      return errs;
    }
    long size = 0;
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (e.getKey().isEmpty()) {
        errs.add(FieldError.invalid("parameters", "", "field can not be empty."));
      }
      size += e.getKey().length() + Objects.toString(e.getValue(), "").length();
    }
    if (size > MAX_PARAMETERS_SIZE) {
      errs.add(MetadataValidation.tooLong("parameters", MAX_PARAMETERS_SIZE));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(StorageClass sc, StorageClass old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(sc, old));
    if (!MetadataValidation.orEmpty(sc.getParameters())
        .equals(MetadataValidation.orEmpty(old.getParameters()))) {
      errs.add(FieldError.forbidden("parameters", "updates to parameters are forbidden."));
    }
    if (!Objects.equals(sc.getProvisioner(), old.getProvisioner())) {
      errs.add(FieldError.forbidden("provisioner", "updates to provisioner are forbidden."));
    }
    // A class stored before its defaults were filled has them when Kubernetes reads it.
    if (!Objects.equals(
        Objects.requireNonNullElse(sc.getReclaimPolicy(), "Delete"),
        Objects.requireNonNullElse(old.getReclaimPolicy(), "Delete"))) {
      errs.add(FieldError.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    if (!Objects.equals(
        Objects.requireNonNullElse(sc.getVolumeBindingMode(), "Immediate"),
        Objects.requireNonNullElse(old.getVolumeBindingMode(), "Immediate"))) {
      errs.add(FieldError.immutable("volumeBindingMode", sc.getVolumeBindingMode()));
    }
    return errs;
  }
}
