package io.nauta.api.admission;

import io.nauta.api.security.UserInfo;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.validation.JobValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jobs (batch/v1): Kubernetes' {@code SetDefaults_Job} and the job strategy's selector generation,
 * which ties a Job's pods to its uid so no other Job can claim them.
 */
final class JobStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.JOBS;
  }

  /**
   * Unless {@code spec.manualSelector} is true, the selector is {@code
   * batch.kubernetes.io/controller-uid=<uid>} and the template carries that label, the job name and
   * their unprefixed forms; labels the user set are kept (validation rejects wrong ones).
   */
  @Override
  public boolean preparesUntrackedFields() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, UserInfo user) {
    ObjectNode spec = Defaults.object(obj, "spec");
    if (spec.path("manualSelector").asBoolean(false)) {
      return;
    }
    String uid = obj.path("metadata").path("uid").asString("");
    String name = obj.path("metadata").path("name").asString("");
    ObjectNode labels =
        Defaults.object(Defaults.object(Defaults.object(spec, "template"), "metadata"), "labels");
    Defaults.text(labels, JobValidation.CONTROLLER_UID_LABEL, uid);
    Defaults.text(labels, JobValidation.JOB_NAME_LABEL, name);
    Defaults.text(labels, JobValidation.LEGACY_CONTROLLER_UID_LABEL, uid);
    Defaults.text(labels, JobValidation.LEGACY_JOB_NAME_LABEL, name);
    ObjectNode matchLabels = Defaults.object(Defaults.object(spec, "selector"), "matchLabels");
    if (!matchLabels.has(JobValidation.CONTROLLER_UID_LABEL)) {
      matchLabels.put(JobValidation.CONTROLLER_UID_LABEL, uid);
    }
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
      spec.put("completions", 1);
    }
    Defaults.number(spec, "parallelism", 1);
    Defaults.number(
        spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    ObjectNode template = Defaults.object(spec, "template");
    JsonNode templateLabels = template.path("metadata").get("labels");
    JsonNode labels = obj.path("metadata").get("labels");
    if (templateLabels instanceof ObjectNode tl
        && (labels == null || labels.isNull() || labels.isEmpty())) {
      Defaults.object(obj, "metadata").set("labels", tl.deepCopy());
    }
    Defaults.text(spec, "completionMode", "NonIndexed");
    Defaults.bool(spec, "suspend", false);
    if (spec.get("podFailurePolicy") instanceof ObjectNode policy) {
      Defaults.eachObject(
          policy,
          "rules",
          rule ->
              Defaults.eachObject(
                  rule, "onPodConditions", p -> Defaults.text(p, "status", "True")));
    }
    Defaults.text(
        spec,
        "podReplacementPolicy",
        spec.hasNonNull("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    Defaults.bool(spec, "manualSelector", false);
    PodSpecDefaults.apply(Defaults.object(template, "spec"), false);
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    return obj.objectNode();
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
