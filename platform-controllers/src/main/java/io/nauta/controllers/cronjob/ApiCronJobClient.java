package io.nauta.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import reactor.core.publisher.Mono;

/** {@link CronJobClient} on the API server. */
final class ApiCronJobClient implements CronJobClient {

  private final ResourceClient<CronJob> cronJobs;
  private final ResourceClient<Job> jobs;
  private final EventRecorder events;

  ApiCronJobClient(KubeClient client, EventRecorder events) {
    this.cronJobs = client.resource(BuiltInResources.CRONJOBS, CronJob.class);
    this.jobs = client.resource(BuiltInResources.JOBS, Job.class);
    this.events = events;
  }

  @Override
  public Mono<CronJob> getCronJob(String namespace, String name) {
    return cronJobs.get(namespace, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Job> getJob(String namespace, String name) {
    return jobs.get(namespace, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Job> createJob(Job job) {
    return jobs.create(job);
  }

  @Override
  public Mono<Void> deleteJob(String namespace, String name) {
    return jobs.delete(
            namespace, name, new DeleteOptionsBuilder().withPropagationPolicy("Background").build())
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<CronJob> updateStatus(CronJob cronJob) {
    return cronJobs.updateStatus(cronJob);
  }

  @Override
  public Mono<Void> event(CronJob cronJob, String type, String reason, String message) {
    return events.record(cronJob, type, reason, message);
  }
}
