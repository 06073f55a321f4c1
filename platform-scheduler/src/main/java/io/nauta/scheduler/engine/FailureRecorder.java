package io.nauta.scheduler.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.events.EventRecorder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the user why a pod is still Pending, as kube-scheduler does: condition {@code
 * PodScheduled=False} with reason {@code Unschedulable} (or {@code SchedulerError}) and the
 * message, written only when it changed, and a {@code FailedScheduling} Warning event per attempt
 * (repeats count up on one Event).
 */
public final class FailureRecorder {

  private static final Log log = LogFactory.getLog(FailureRecorder.class);

  private final ResourceClient<Pod> pods;
  private final EventRecorder events;
  private final JsonMapper mapper;

  public FailureRecorder(ResourceClient<Pod> pods, EventRecorder events, JsonMapper mapper) {
    this.pods = pods;
    this.events = events;
    this.mapper = mapper;
  }

  /** Records the failure; completes when written, never with an error. */
  public Mono<Void> record(Pod pod, String reason, String message) {
    return Mono.when(updateCondition(pod, reason, message), event(pod, message));
  }

  /** The binding was refused (not because the pod went away). */
  public Mono<Void> bindingRejected(Pod pod, String message) {
    return event(pod, "Binding rejected: " + message);
  }

  private Mono<Void> event(Pod pod, String message) {
    return events.warning(pod, "FailedScheduling", message);
  }

  private Mono<Void> updateCondition(Pod pod, String reason, String message) {
    PodCondition current = podScheduled(pod);
    if (current != null
        && "False".equals(current.getStatus())
        && reason.equals(current.getReason())
        && message.equals(current.getMessage())) {
      return Mono.empty();
    }
    // The transition time moves only when the status does, as in Kubernetes.
    String transition =
        current != null
                && "False".equals(current.getStatus())
                && current.getLastTransitionTime() != null
            ? current.getLastTransitionTime()
            : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> condition =
        Map.of(
            "type", "PodScheduled",
            "status", "False",
            "reason", reason,
            "message", message,
            "lastTransitionTime", transition);
    String patch =
        mapper.writeValueAsString(Map.of("status", Map.of("conditions", List.of(condition))));
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    return pods.patchStatus(ns, name, PatchType.STRATEGIC_MERGE, patch)
        .onErrorResume(
            e -> {
              log.debug("could not update PodScheduled of " + ns + "/" + name + ": " + e);
              return Mono.empty();
            })
        .then();
  }

  private static PodCondition podScheduled(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType())) {
        return c;
      }
    }
    return null;
  }
}
