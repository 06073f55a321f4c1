package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' Job controller: runs a Job's pods to completion ({@link JobSync}). Pod events map to
 * the pod's controlling Job, observing the expectations on the way; a tracked pod whose Job is gone
 * gets its own key ({@code pod:<namespace>/<name>}) so its finalizer is removed.
 */
@Component
public class JobController implements ManagedController {

  static final String NAME = "job-controller";

  private final InformerStore<Job> jobs;
  private final InformerStore<Pod> pods;
  private final PodExpectations expectations;
  private final JobSync sync;
  private final Controller controller;

  @Autowired
  public JobController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters) {
    this(informers, client, events, props, meters, Clock.systemUTC());
  }

  JobController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters,
      Clock clock) {
    SharedInformer<Job> jobInformer = informers.informer(BuiltInResources.JOBS, Job.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    this.jobs = jobInformer.store();
    this.pods = podInformer.store();
    this.expectations = new PodExpectations(new Expectations());
    this.sync =
        new JobSync(
            jobs, pods, new ApiJobClient(client, events.forComponent(NAME)), expectations, clock);
    this.controller =
        Controller.builder(NAME)
            .primary(jobInformer)
            .watch(jobInformer, this::onJob)
            .watch(podInformer, this::onPod)
            .reconcile(sync::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /** A deleted Job: its tracked pods (orphaned or not yet collected) must be let go. */
  private Collection<String> onJob(InformerEvent<Job> event) {
    if (event.type() != InformerEvent.Type.DELETED) {
      return List.of();
    }
    Job job = event.object();
    sync.forget(InformerStore.keyOf(job));
    return pods.byIndex(InformerStore.BY_NAMESPACE, job.getMetadata().getNamespace()).stream()
        .filter(p -> OwnerReferences.isControlledBy(p, job) && JobPods.tracked(p))
        .map(p -> JobSync.ORPHAN_PREFIX + InformerStore.keyOf(p))
        .toList();
  }

  private Collection<String> onPod(InformerEvent<Pod> event) {
    Pod pod = event.object();
    Set<String> keys = new LinkedHashSet<>();
    if (event.type() == InformerEvent.Type.UPDATED && event.previous() != null) {
      owner(event.previous()).ifPresent(keys::add);
    }
    Optional<String> owner = owner(pod);
    if (owner.isPresent()) {
      String key = owner.get();
      boolean gone =
          event.type() == InformerEvent.Type.DELETED
              || pod.getMetadata().getDeletionTimestamp() != null;
      if (gone) {
        expectations.deletionObserved(key, InformerStore.keyOf(pod));
      } else if (event.type() == InformerEvent.Type.ADDED) {
        expectations.creationObserved(key);
      }
      keys.add(key);
    } else if (event.type() != InformerEvent.Type.DELETED
        && JobPods.tracked(pod)
        && OwnerReferences.controllerOf(pod).filter(r -> "Job".equals(r.getKind())).isPresent()) {
      keys.add(JobSync.ORPHAN_PREFIX + InformerStore.keyOf(pod));
    }
    return keys;
  }

  /** The key of the Job that controls {@code pod}, if that Job (by uid) is in the cache. */
  private Optional<String> owner(Pod pod) {
    Optional<OwnerReference> ref =
        OwnerReferences.controllerOf(pod).filter(r -> "Job".equals(r.getKind()));
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    String key = InformerStore.key(pod.getMetadata().getNamespace(), ref.get().getName());
    return jobs.get(key)
        .filter(j -> Objects.equals(j.getMetadata().getUid(), ref.get().getUid()))
        .map(j -> key);
  }
}
