package io.nauta.api.admission;

import io.nauta.api.security.UserInfo;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * DaemonSets: upstream's {@code SetDefaults_DaemonSet} (apps/v1) and the template's defaults, and
 * the template generation apps/v1 keeps in an annotation (1 on create, one more on every template
 * change, whatever a client sends), as upstream's strategy and conversion do.
 */
final class DaemonSetStrategy implements ResourceStrategy {

  static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

  @Override
  public ResourceType type() {
    return BuiltInResources.DAEMONSETS;
  }

  @Override
  public boolean preparesUntrackedFields() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, UserInfo user) {
    Defaults.object(Defaults.object(obj, "metadata"), "annotations").put(TEMPLATE_GENERATION, "1");
  }

  @Override
  public void keepServerOwnedFields(ObjectNode updated, ObjectNode old) {
    long generation = 1;
    try {
      generation =
          Long.parseLong(
              old.path("metadata").path("annotations").path(TEMPLATE_GENERATION).asString("1"));
    } catch (NumberFormatException e) {
      // an object stored with a bad value keeps counting from 1
    }
    ObjectNode defaulted = updated.deepCopy();
    applyDefaults(defaulted);
    if (!defaulted.path("spec").path("template").equals(old.path("spec").path("template"))) {
      generation++;
    }
    Defaults.object(Defaults.object(updated, "metadata"), "annotations")
        .put(TEMPLATE_GENERATION, Long.toString(generation));
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    ObjectNode template = Defaults.object(spec, "template");
    PodSpecDefaults.apply(Defaults.object(template, "spec"), false);
    ObjectNode strategy = Defaults.object(spec, "updateStrategy");
    Defaults.text(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asString())) {
      ObjectNode rolling = Defaults.object(strategy, "rollingUpdate");
      // ints, not longs: the model's IntOrString reads only an int or a string
      if (!rolling.has("maxUnavailable") || rolling.get("maxUnavailable").isNull()) {
        rolling.put("maxUnavailable", 1);
      }
      if (!rolling.has("maxSurge") || rolling.get("maxSurge").isNull()) {
        rolling.put("maxSurge", 0);
      }
    }
    Defaults.number(spec, "revisionHistoryLimit", 10);
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    // DaemonSetStatus' counts are not omitempty: a new DaemonSet shows them as zeros.
    ObjectNode status = obj.objectNode();
    status.put("currentNumberScheduled", 0);
    status.put("numberMisscheduled", 0);
    status.put("desiredNumberScheduled", 0);
    status.put("numberReady", 0);
    return status;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }
}
