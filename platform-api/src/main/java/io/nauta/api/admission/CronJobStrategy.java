package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * CronJobs (batch/v1): Kubernetes' {@code SetDefaults_CronJob} (concurrencyPolicy Allow, suspend
 * false, history limits 3 and 1) and the pod defaults of the job template; status only through the
 * status subresource, generation bumped on spec changes.
 */
final class CronJobStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.CRONJOBS;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.text(spec, "concurrencyPolicy", "Allow");
    Defaults.bool(spec, "suspend", false);
    Defaults.number(spec, "successfulJobsHistoryLimit", 3);
    Defaults.number(spec, "failedJobsHistoryLimit", 1);
    ObjectNode jobSpec = Defaults.object(Defaults.object(spec, "jobTemplate"), "spec");
    PodSpecDefaults.apply(Defaults.object(Defaults.object(jobSpec, "template"), "spec"), false);
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
