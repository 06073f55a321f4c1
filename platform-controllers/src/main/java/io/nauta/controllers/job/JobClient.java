package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import reactor.core.publisher.Mono;

/**
 * Every write the Job controller makes (Kubernetes' pod control, the status update and events),
 * behind one small interface so the sync logic can be tested with a fake.
 */
public interface JobClient {

  /** Creates a pod (its name from {@code generateName}); the created pod. */
  Mono<Pod> createPod(Pod pod);

  /** Deletes a pod; a pod already gone is not an error. */
  Mono<Void> deletePod(Pod pod);

  /**
   * Removes the {@code batch.kubernetes.io/job-tracking} finalizer from the pod as the cache saw
   * it; a pod already gone is not an error.
   */
  Mono<Void> removeTrackingFinalizer(Pod pod);

  /**
   * Replaces the Job's status through the status subresource, guarded by its resourceVersion so a
   * stale view of the Job can never overwrite counts; the Job as stored.
   */
  Mono<Job> updateStatus(Job job);

  Mono<Void> event(Job job, String type, String reason, String message);
}
