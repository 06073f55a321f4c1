package io.nauta.federation.scheduling;

import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.TargetCluster;
import java.time.Duration;
import java.util.List;

/**
 * What one scheduling pass decided for a binding: on success the new {@code spec.clusters} (sorted
 * by name) and the graceful eviction tasks to add; otherwise the Scheduled condition's reason
 * ({@code NoClusterFit}, {@code Unschedulable}, {@code SchedulerError}) and message, the binding's
 * clusters left as they were except for evictions. {@code recheckAfter}, when set, is when a
 * toleration with {@code tolerationSeconds} runs out and the pass must run again.
 */
public record ScheduleResult(
    boolean scheduled,
    String reason,
    String message,
    List<TargetCluster> clusters,
    List<GracefulEvictionTask> evictions,
    Duration recheckAfter) {

  public static final String SUCCESS = Karmada.BINDING_REASON_SUCCESS;
  public static final String NO_CLUSTER_FIT = Karmada.BINDING_REASON_NO_CLUSTER_FIT;
  public static final String UNSCHEDULABLE = Karmada.BINDING_REASON_UNSCHEDULABLE;
  public static final String SCHEDULER_ERROR = Karmada.BINDING_REASON_SCHEDULER_ERROR;

  /** Karmada's {@code successfulSchedulingMessage}. */
  public static final String SUCCESS_MESSAGE = "Binding has been scheduled successfully.";
}
