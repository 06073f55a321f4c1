package io.nauta.controllers.ttlafterfinished;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' TTL-after-finished controller: a finished Job with {@code
 * spec.ttlSecondsAfterFinished} is deleted that long after its Complete or Failed condition, in the
 * foreground so its pods go first. The TTL is read again from the API server before the delete, and
 * the delete is conditional on the Job's uid, so a Job changed or replaced meanwhile is kept.
 */
@Component
public class TtlAfterFinishedController implements ManagedController {

  static final String NAME = "ttl-after-finished-controller";

  private final InformerStore<Job> jobs;
  private final ResourceClient<Job> api;
  private final Clock clock;
  private final Controller controller;

  @Autowired
  public TtlAfterFinishedController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    this(informers, client, props, meters, Clock.systemUTC());
  }

  TtlAfterFinishedController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters,
      Clock clock) {
    SharedInformer<Job> informer = informers.informer(BuiltInResources.JOBS, Job.class);
    this.jobs = informer.store();
    this.api = client.resource(BuiltInResources.JOBS, Job.class);
    this.clock = clock;
    this.controller =
        Controller.builder(NAME)
            .primary(informer, e -> expiry(e.object()).isPresent())
            .reconcile(this::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Mono<Result> sync(String key) {
    Optional<Job> cached = jobs.get(key);
    if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
      return Mono.just(Result.done());
    }
    Optional<Duration> left = left(cached.get());
    if (left.isEmpty()) {
      return Mono.just(Result.done());
    }
    if (!left.get().isZero()) {
      return Mono.just(Result.requeueAfter(left.get()));
    }
    Job job = cached.get();
    // The cache may be behind a change of the TTL: decide on the Job as stored.
    return api.get(job.getMetadata().getNamespace(), job.getMetadata().getName())
        .flatMap(
            fresh -> {
              Optional<Duration> freshLeft = left(fresh);
              if (freshLeft.isEmpty()) {
                return Mono.just(Result.done());
              }
              if (!freshLeft.get().isZero()) {
                return Mono.just(Result.requeueAfter(freshLeft.get()));
              }
              return api.delete(
                      fresh.getMetadata().getNamespace(),
                      fresh.getMetadata().getName(),
                      new DeleteOptionsBuilder()
                          .withPropagationPolicy("Foreground")
                          .withNewPreconditions()
                          .withUid(fresh.getMetadata().getUid())
                          .endPreconditions()
                          .build())
                  .thenReturn(Result.done());
            })
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()))
        .onErrorResume(ConflictException.class, e -> Mono.just(Result.done()));
  }

  private Optional<Duration> left(Job job) {
    return expiry(job)
        .map(
            at -> {
              Duration d = Duration.between(clock.instant(), at);
              return d.isNegative() ? Duration.ZERO : d;
            });
  }

  /** When a finished Job with a TTL expires: its finish time plus the TTL. */
  static Optional<Instant> expiry(Job job) {
    Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
          && "True".equals(c.getStatus())
          && c.getLastTransitionTime() != null) {
        return Optional.of(
            OffsetDateTime.parse(c.getLastTransitionTime()).toInstant().plusSeconds(ttl));
      }
    }
    return Optional.empty();
  }
}
