package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * StatefulSets (apps/v1), in the order and words of upstream's {@code ValidateStatefulSetSpec},
 * {@code ValidateStatefulSetUpdate} (only replicas, ordinals, template, update strategy, claim
 * retention policy and minReadySeconds may change) and {@code ValidateStatefulSetStatusUpdate}. As
 * upstream, the template's pod spec is not validated here (its volume mounts may name claim
 * templates); the pods made from it are.
 */
public final class StatefulSetValidation implements Validator<StatefulSet> {

  static final List<String> RETENTION = List.of("Retain", "Delete");
  static final String SPEC_UPDATE_FORBIDDEN =
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',"
          + " 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are"
          + " forbidden";

  @Override
  public List<FieldError> validate(StatefulSet sts) {
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validate(sts.getMetadata(), NameRule.DNS_LABEL, true));
    errs.addAll(spec(sts.getSpec() == null ? new StatefulSetSpec() : sts.getSpec()));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(StatefulSet sts, StatefulSet old) {
    // As upstream: the name is not checked again on update.
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validateUpdate(sts.getMetadata(), old.getMetadata()));
    StatefulSetSpec spec = sts.getSpec() == null ? new StatefulSetSpec() : sts.getSpec();
    StatefulSetSpec was = old.getSpec() == null ? new StatefulSetSpec() : old.getSpec();
    errs.addAll(spec(spec));
    StatefulSetSpec rest =
        new StatefulSetSpecBuilder(spec)
            .withReplicas(was.getReplicas())
            .withTemplate(was.getTemplate())
            .withUpdateStrategy(was.getUpdateStrategy())
            .withMinReadySeconds(was.getMinReadySeconds())
            .withOrdinals(was.getOrdinals())
            .withPersistentVolumeClaimRetentionPolicy(was.getPersistentVolumeClaimRetentionPolicy())
            .build();
    if (!JsonComparison.same(rest, was)) {
      errs.add(FieldError.forbidden("spec", SPEC_UPDATE_FORBIDDEN));
    }
    // A spec update keeps the stored status, so this only ever refuses a status write.
    errs.addAll(status(sts.getStatus(), old.getStatus()));
    return errs;
  }

  private static List<FieldError> spec(StatefulSetSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    String policy = spec.getPodManagementPolicy() == null ? "" : spec.getPodManagementPolicy();
    switch (policy) {
      case "" -> errs.add(FieldError.required("spec.podManagementPolicy", ""));
      case "OrderedReady", "Parallel" -> {}
      default ->
          errs.add(
              FieldError.invalid(
                  "spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"));
    }
    errs.addAll(updateStrategy(spec.getUpdateStrategy()));
    StatefulSetPersistentVolumeClaimRetentionPolicy retention =
        spec.getPersistentVolumeClaimRetentionPolicy();
    if (retention != null) {
      String f = "spec.persistentVolumeClaimRetentionPolicy.";
      errs.addAll(retentionType(f + "whenDeleted", retention.getWhenDeleted()));
      errs.addAll(retentionType(f + "whenScaled", retention.getWhenScaled()));
    }
    errs.addAll(MetadataValidation.nonNegative("spec.replicas", spec.getReplicas()));
    errs.addAll(MetadataValidation.nonNegative("spec.minReadySeconds", spec.getMinReadySeconds()));
    if (spec.getOrdinals() != null) {
      errs.addAll(
          MetadataValidation.nonNegative("spec.ordinals.start", spec.getOrdinals().getStart()));
    }
    LabelSelector selector = spec.getSelector();
    boolean selectorUsable = WorkloadValidation.requiredSelector(selector, "statefulset", errs);
    PodTemplateSpec template =
        spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    if (selectorUsable && !LabelSelectorValidation.matches(selector, meta.getLabels())) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              GoValue.stringMap(MetadataValidation.orEmpty(meta.getLabels())),
              "`selector` does not match template `labels`"));
    }
    // upstream's paths, without "metadata"
    errs.addAll(MetadataValidation.labels(meta.getLabels(), "spec.template.labels"));
    errs.addAll(MetadataValidation.annotations(meta.getAnnotations(), "spec.template.annotations"));
    String restart =
        template.getSpec() == null || template.getSpec().getRestartPolicy() == null
            ? ""
            : template.getSpec().getRestartPolicy();
    if (!"Always".equals(restart)) {
      errs.add(
          FieldError.notSupported(
              "spec.template.spec.restartPolicy",
              restart,
              EnumValidation.supported(List.of("Always"))));
    }
    if (template.getSpec() != null && template.getSpec().getActiveDeadlineSeconds() != null) {
      errs.add(
          FieldError.forbidden(
              "spec.template.spec.activeDeadlineSeconds",
              "activeDeadlineSeconds in StatefulSet is not Supported"));
    }
    return errs;
  }

  private static List<FieldError> updateStrategy(StatefulSetUpdateStrategy strategy) {
    StatefulSetUpdateStrategy s = strategy == null ? new StatefulSetUpdateStrategy() : strategy;
    String type = s.getType() == null ? "" : s.getType();
    String field = "spec.updateStrategy";
    switch (type) {
      case "" -> {
        return List.of(FieldError.required(field, ""));
      }
      case "OnDelete" -> {
        if (s.getRollingUpdate() != null) {
          return List.of(
              FieldError.invalid(
                  field + ".rollingUpdate",
                  new GoValue(
                      "&apps.RollingUpdateStatefulSetStrategy{Partition:"
                          + orZero(s.getRollingUpdate().getPartition())
                          + ", MaxUnavailable:(*intstr.IntOrString)"
                          + (s.getRollingUpdate().getMaxUnavailable() == null
                              ? "(nil)"
                              : "(0xc000000000)")
                          + "}"),
                  "only allowed for updateStrategy 'RollingUpdate'"));
        }
        return List.of();
      }
      case "RollingUpdate" -> {
        return s.getRollingUpdate() == null
            ? List.of()
            : rollingUpdate(s.getRollingUpdate(), field + ".rollingUpdate");
      }
      default -> {
        return List.of(
            FieldError.invalid(
                field,
                new GoValue(
                    "apps.StatefulSetUpdateStrategy{Type:"
                        + GoValue.quoted(type)
                        + ", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)"
                        + (s.getRollingUpdate() == null ? "(nil)" : "(0xc000000000)")
                        + "}"),
                "must be 'RollingUpdate' or 'OnDelete'"));
      }
    }
  }

  /** Upstream's validateRollingUpdateStatefulSet. */
  private static List<FieldError> rollingUpdate(RollingUpdateStatefulSetStrategy r, String field) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(MetadataValidation.nonNegative(field + ".partition", r.getPartition()));
    IntOrString max = r.getMaxUnavailable();
    if (max != null) {
      String f = field + ".maxUnavailable";
      errs.addAll(DeploymentValidation.intOrPercent(max, f));
      if (DeploymentValidation.value(max) == 0) {
        errs.add(FieldError.invalid(f, DeploymentValidation.shown(max), "cannot be 0"));
      }
      if (DeploymentValidation.isPercent(max) && DeploymentValidation.value(max) > 100) {
        errs.add(
            FieldError.invalid(
                f, DeploymentValidation.shown(max), "must not be greater than 100%"));
      }
    }
    return errs;
  }

  private static List<FieldError> retentionType(String field, String value) {
    String v = value == null ? "" : value;
    if (RETENTION.contains(v)) {
      return List.of();
    }
    return List.of(FieldError.notSupported(field, v, EnumValidation.supported(RETENTION)));
  }

  /** Upstream's ValidateStatefulSetStatus and the collision count that may not go back. */
  private static List<FieldError> status(StatefulSetStatus now, StatefulSetStatus was) {
    List<FieldError> errs = new ArrayList<>();
    if (now == null) {
      return errs;
    }
    String f = "status.";
    int replicas = orZero(now.getReplicas());
    errs.addAll(MetadataValidation.nonNegative(f + "replicas", now.getReplicas()));
    errs.addAll(MetadataValidation.nonNegative(f + "readyReplicas", now.getReadyReplicas()));
    errs.addAll(MetadataValidation.nonNegative(f + "currentReplicas", now.getCurrentReplicas()));
    errs.addAll(MetadataValidation.nonNegative(f + "updatedReplicas", now.getUpdatedReplicas()));
    errs.addAll(
        MetadataValidation.nonNegative(f + "availableReplicas", now.getAvailableReplicas()));
    errs.addAll(
        MetadataValidation.nonNegative(f + "observedGeneration", now.getObservedGeneration()));
    errs.addAll(MetadataValidation.nonNegative(f + "collisionCount", now.getCollisionCount()));
    String msg = "cannot be greater than status.replicas";
    for (var e :
        List.of(
            java.util.Map.entry("readyReplicas", orZero(now.getReadyReplicas())),
            java.util.Map.entry("currentReplicas", orZero(now.getCurrentReplicas())),
            java.util.Map.entry("updatedReplicas", orZero(now.getUpdatedReplicas())),
            java.util.Map.entry("availableReplicas", orZero(now.getAvailableReplicas())))) {
      if (e.getValue() > replicas) {
        errs.add(FieldError.invalid(f + e.getKey(), e.getValue(), msg));
      }
    }
    if (orZero(now.getAvailableReplicas()) > orZero(now.getReadyReplicas())) {
      errs.add(
          FieldError.invalid(
              f + "availableReplicas",
              now.getAvailableReplicas(),
              "cannot be greater than status.readyReplicas"));
    }
    errs.addAll(
        WorkloadValidation.collisionCountNotDecremented(
            was == null ? null : was.getCollisionCount(), now.getCollisionCount()));
    return errs;
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
