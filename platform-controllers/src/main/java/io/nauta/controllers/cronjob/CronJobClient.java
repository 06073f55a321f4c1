package io.nauta.controllers.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import reactor.core.publisher.Mono;

/**
 * Every read past the cache and every write the CronJob controller makes (upstream's job control
 * and cronjob control), behind one small interface so the sync logic can be tested with a fake.
 */
public interface CronJobClient {

  /** The CronJob as stored; empty when it is gone. */
  Mono<CronJob> getCronJob(String namespace, String name);

  /** The Job as stored; empty when it is gone. */
  Mono<Job> getJob(String namespace, String name);

  /** Creates a Job; fails with AlreadyExists when one of that name is there. */
  Mono<Job> createJob(Job job);

  /** Deletes a Job and, in the background, its pods; a Job already gone is not an error. */
  Mono<Void> deleteJob(String namespace, String name);

  /** Replaces the CronJob's status, guarded by its resourceVersion. */
  Mono<CronJob> updateStatus(CronJob cronJob);

  Mono<Void> event(CronJob cronJob, String type, String reason, String message);
}
