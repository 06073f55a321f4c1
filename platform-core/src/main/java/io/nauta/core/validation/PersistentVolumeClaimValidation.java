package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.TypedObjectReference;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirements;
import io.nauta.core.errors.FieldError;
import io.nauta.core.storage.StorageClasses;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims (v1), as upstream's {@code ValidatePersistentVolumeClaim} and {@code
 * ValidatePersistentVolumeClaimUpdate}: access modes and a positive storage request; once created
 * the spec stays as it is except {@code volumeName} set once (the binder does it), a class name set
 * where there was none, {@code volumeAttributesClassName}, and for a bound claim the storage
 * request, which may not shrink below what the volume has. Whether a bigger request is allowed at
 * all (its class must allow expansion) is admission's, which reads the class.
 */
public final class PersistentVolumeClaimValidation implements Validator<PersistentVolumeClaim> {

  private static final String BETA_STORAGE_CLASS = StorageClasses.BETA_STORAGE_CLASS;

  static final String SPEC_IMMUTABLE =
      "spec is immutable after creation except resources.requests and volumeAttributesClassName"
          + " for bound claims";

  @Override
  public List<FieldError> validate(PersistentVolumeClaim pvc) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(pvc.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(spec(pvc.getSpec() == null ? new PersistentVolumeClaimSpec() : pvc.getSpec()));
    return errs;
  }

  /** {@code ValidatePersistentVolumeClaimSpec}, also for claim templates. */
  public static List<FieldError> spec(PersistentVolumeClaimSpec spec) {
    return spec(spec, "spec");
  }

  static List<FieldError> spec(PersistentVolumeClaimSpec spec, String f) {
    List<FieldError> errs = new ArrayList<>();
    if (spec.getAccessModes() == null || spec.getAccessModes().isEmpty()) {
      errs.add(FieldError.required(f + ".accessModes", "at least 1 access mode is required"));
    }
    errs.addAll(LabelSelectorValidation.validate(spec.getSelector(), f + ".selector"));
    if (spec.getAccessModes() != null && !spec.getAccessModes().isEmpty()) {
      errs.addAll(VolumeSpecs.accessModes(spec.getAccessModes(), f + ".accessModes", ""));
    }
    Map<String, Quantity> requests = requests(spec);
    String storage = f + ".resources[storage]";
    if (!requests.containsKey("storage")) {
      errs.add(FieldError.required(storage, ""));
    } else {
      List<FieldError> amount = VolumeSpecs.positive(requests.get("storage"), storage);
      // validateBasicResource is not among these checks: one message for a negative request
      amount.stream()
          .filter(e -> !"must be a valid resource quantity".equals(e.detail()))
          .forEach(errs::add);
    }
    errs.addAll(VolumeSpecs.className(spec.getStorageClassName(), f + ".storageClassName"));
    errs.addAll(VolumeSpecs.volumeMode(spec.getVolumeMode(), f + ".volumeMode"));
    if (spec.getDataSource() != null) {
      errs.addAll(dataSource(spec.getDataSource(), f + ".dataSource"));
    }
    if (spec.getDataSourceRef() != null) {
      errs.addAll(dataSourceRef(spec.getDataSourceRef(), f + ".dataSourceRef"));
    }
    TypedObjectReference ref = spec.getDataSourceRef();
    TypedLocalObjectReference src = spec.getDataSource();
    if (ref != null && !MetadataValidation.isEmpty(ref.getNamespace())) {
      if (src != null) {
        errs.add(
            FieldError.invalid(
                f,
                new GoValue(f + ".dataSource"),
                "may not be specified when dataSourceRef.namespace is specified"));
      }
    } else if (src != null && ref != null) {
      if (!Objects.equals(src.getApiGroup(), ref.getApiGroup())
          || !Objects.equals(src.getKind(), ref.getKind())
          || !Objects.equals(src.getName(), ref.getName())) {
        errs.add(FieldError.invalid(f, new GoValue(f + ".dataSource"), "must match dataSourceRef"));
      }
    }
    errs.addAll(
        VolumeSpecs.className(
            spec.getVolumeAttributesClassName(), f + ".volumeAttributesClassName"));
    return errs;
  }

  private static List<FieldError> dataSource(TypedLocalObjectReference ds, String path) {
    return reference(ds.getName(), ds.getKind(), ds.getApiGroup(), path);
  }

  private static List<FieldError> dataSourceRef(TypedObjectReference ref, String path) {
    List<FieldError> errs = reference(ref.getName(), ref.getKind(), ref.getApiGroup(), path);
    String ns = ref.getNamespace();
    if (ns != null && !ns.isEmpty()) {
      NameValidation.dns1123Label(ns)
          .forEach(m -> errs.add(FieldError.invalid(path + ".namespace", ns, m)));
    }
    return errs;
  }

  private static List<FieldError> reference(String name, String kind, String group, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (MetadataValidation.isEmpty(name)) {
      errs.add(FieldError.required(path + ".name", ""));
    }
    if (MetadataValidation.isEmpty(kind)) {
      errs.add(FieldError.required(path + ".kind", ""));
    }
    String apiGroup = Objects.toString(group, "");
    if (apiGroup.isEmpty() && !"PersistentVolumeClaim".equals(kind)) {
      errs.add(
          FieldError.invalid(
              path,
              Objects.toString(kind, ""),
              "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
    if (!apiGroup.isEmpty()) {
      NameValidation.dns1123Subdomain(apiGroup)
          .forEach(m -> errs.add(FieldError.invalid(path + ".apiGroup", apiGroup, m)));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(PersistentVolumeClaim pvc, PersistentVolumeClaim old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(pvc, old));
    PersistentVolumeClaimSpec now =
        pvc.getSpec() == null ? new PersistentVolumeClaimSpec() : pvc.getSpec();
    PersistentVolumeClaimSpec was =
        old.getSpec() == null ? new PersistentVolumeClaimSpec() : old.getSpec();
    ObjectNode nowSpec = (ObjectNode) JsonComparison.tree(now);
    ObjectNode wasSpec = (ObjectNode) JsonComparison.tree(was);
    // Either may have been stored before its defaults were filled (as the status subresource
    // writes it back); Kubernetes fills them again whenever it reads.
    String wasMode = was.getVolumeMode() == null ? "Filesystem" : was.getVolumeMode();
    String nowMode = now.getVolumeMode() == null ? "Filesystem" : now.getVolumeMode();
    wasSpec.put("volumeMode", wasMode);
    nowSpec.put("volumeMode", nowMode);
    // The binder sets volumeName once.
    if (MetadataValidation.isEmpty(was.getVolumeName())) {
      copy(nowSpec, wasSpec, "volumeName");
    }
    Map<String, String> oldAnnotations =
        MetadataValidation.orEmpty(old.getMetadata().getAnnotations());
    Map<String, String> newAnnotations =
        MetadataValidation.orEmpty(pvc.getMetadata().getAnnotations());
    String oldBeta = oldAnnotations.get(BETA_STORAGE_CLASS);
    if (oldBeta != null
        && was.getStorageClassName() == null
        && oldBeta.equals(now.getStorageClassName())
        && (!newAnnotations.containsKey(BETA_STORAGE_CLASS)
            || oldBeta.equals(newAnnotations.get(BETA_STORAGE_CLASS)))) {
      // From the beta annotation to the field.
      nowSpec.remove("storageClassName");
    } else {
      String newBeta = newAnnotations.get(BETA_STORAGE_CLASS);
      if (!Objects.equals(Objects.toString(newBeta, ""), Objects.toString(oldBeta, ""))) {
        errs.add(
            FieldError.immutable(
                "metadata.annotations." + BETA_STORAGE_CLASS, Objects.toString(newBeta, "")));
      }
      // From no class to one (the default class, assigned later).
      if (now.getStorageClassName() != null
          && was.getStorageClassName() == null
          && (oldBeta == null || now.getStorageClassName().equals(oldBeta))) {
        copy(wasSpec, nowSpec, "storageClassName");
      }
    }
    PersistentVolumeClaimStatus status = pvc.getStatus();
    if (status != null
        && "Bound".equals(status.getPhase())
        && now.getResources() != null
        && now.getResources().getRequests() != null
        && nowSpec.path("resources").get("requests") instanceof ObjectNode reqs) {
      if (wasSpec.path("resources").path("requests").has("storage")) {
        reqs.set("storage", wasSpec.path("resources").path("requests").get("storage"));
      } else {
        reqs.remove("storage");
      }
    }
    copy(wasSpec, nowSpec, "volumeAttributesClassName");
    if (!nowSpec.equals(wasSpec)) {
      errs.add(
          FieldError.forbidden(
              "spec",
              SPEC_IMMUTABLE
                  + "\n"
                  + VolumeSpecs.diff("core.PersistentVolumeClaimSpec", wasSpec, nowSpec)));
    }
    BigDecimal newSize = VolumeSpecs.amount(requests(now), "storage");
    BigDecimal oldSize = VolumeSpecs.amount(requests(was), "storage");
    BigDecimal statusSize =
        old.getStatus() == null
            ? null
            : VolumeSpecs.amount(old.getStatus().getCapacity(), "storage");
    BigDecimal n = newSize == null ? BigDecimal.ZERO : newSize;
    BigDecimal o = oldSize == null ? BigDecimal.ZERO : oldSize;
    BigDecimal s = statusSize == null ? BigDecimal.ZERO : statusSize;
    // RecoverVolumeExpansionFailure (on since 1.32): back down to just above what the volume has.
    if (n.compareTo(o) < 0 && n.compareTo(s) <= 0) {
      errs.add(
          FieldError.forbidden(
              "spec.resources.requests.storage", "field can not be less than status.capacity"));
    }
    if (!nowMode.equals(wasMode)) {
      errs.add(FieldError.immutable("volumeMode", now.getVolumeMode()));
    }
    if (was.getVolumeAttributesClassName() != null
        && !Objects.equals(
            was.getVolumeAttributesClassName(), now.getVolumeAttributesClassName())) {
      if (now.getVolumeAttributesClassName() == null) {
        errs.add(
            FieldError.forbidden(
                "spec.volumeAttributesClassName", "update from non-nil value to nil is forbidden"));
      } else if (now.getVolumeAttributesClassName().isEmpty()) {
        errs.add(
            FieldError.forbidden(
                "spec.volumeAttributesClassName",
                "update from non-nil value to an empty string is forbidden"));
      }
    }
    return errs;
  }

  /** Sets {@code field} of {@code to} as it is in {@code from} (absent stays absent). */
  private static void copy(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    } else {
      to.remove(field);
    }
  }

  private static Map<String, Quantity> requests(PersistentVolumeClaimSpec spec) {
    VolumeResourceRequirements r = spec.getResources();
    return r == null ? Map.of() : MetadataValidation.orEmpty(r.getRequests());
  }
}
