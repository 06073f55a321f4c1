package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import java.util.List;
import reactor.core.publisher.Mono;

/** {@link JobClient} on the API server. */
final class ApiJobClient implements JobClient {

  private final ResourceClient<Pod> pods;
  private final ResourceClient<Job> jobs;
  private final EventRecorder events;

  ApiJobClient(KubeClient client, EventRecorder events) {
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
    this.jobs = client.resource(BuiltInResources.JOBS, Job.class);
    this.events = events;
  }

  @Override
  public Mono<Pod> createPod(Pod pod) {
    return pods.create(pod);
  }

  @Override
  public Mono<Void> deletePod(Pod pod) {
    return pods.delete(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  /** A JSON patch that tests the finalizer is where the cache saw it, then removes it. */
  @Override
  public Mono<Void> removeTrackingFinalizer(Pod pod) {
    List<String> finalizers = pod.getMetadata().getFinalizers();
    int at = finalizers == null ? -1 : finalizers.indexOf(JobPods.TRACKING_FINALIZER);
    if (at < 0) {
      return Mono.empty();
    }
    String path = "/metadata/finalizers/" + at;
    String patch =
        "[{\"op\":\"test\",\"path\":\""
            + path
            + "\",\"value\":\""
            + JobPods.TRACKING_FINALIZER
            + "\"},{\"op\":\"remove\",\"path\":\""
            + path
            + "\"}]";
    return pods.patch(
            pod.getMetadata().getNamespace(), pod.getMetadata().getName(), PatchType.JSON, patch)
        .then()
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Job> updateStatus(Job job) {
    return jobs.updateStatus(job);
  }

  @Override
  public Mono<Void> event(Job job, String type, String reason, String message) {
    return events.record(job, type, reason, message);
  }
}
