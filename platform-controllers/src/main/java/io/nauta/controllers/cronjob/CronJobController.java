package io.nauta.controllers.cronjob;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Kubernetes' CronJob controller: creates a CronJob's Jobs at its scheduled times ({@link
 * CronJobSync}). Job events map to the Job's controlling CronJob. The time comes from a {@link
 * Clock} bean named {@value #CLOCK_BEAN} when one is registered (tests), else the system clock.
 */
@Component
public class CronJobController implements ManagedController {

  static final String NAME = "cronjob-controller";

  /** The bean name of a clock replacing the system clock (tests move it forward). */
  public static final String CLOCK_BEAN = "cronJobClock";

  private final InformerStore<CronJob> cronJobs;
  private final Controller controller;

  @Autowired
  public CronJobController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters,
      @Qualifier(CLOCK_BEAN) ObjectProvider<Clock> clock) {
    this(informers, client, events, props, meters, clock.getIfAvailable(Clock::systemUTC));
  }

  CronJobController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders events,
      ControllersProperties props,
      MeterRegistry meters,
      Clock clock) {
    SharedInformer<CronJob> cronJobInformer =
        informers.informer(BuiltInResources.CRONJOBS, CronJob.class);
    SharedInformer<Job> jobInformer = informers.informer(BuiltInResources.JOBS, Job.class);
    this.cronJobs = cronJobInformer.store();
    CronJobSync sync =
        new CronJobSync(
            cronJobs,
            jobInformer.store(),
            new ApiCronJobClient(client, events.forComponent(NAME)),
            clock);
    this.controller =
        Controller.builder(NAME)
            .primary(cronJobInformer)
            .watch(jobInformer, this::onJob)
            .reconcile(sync::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Collection<String> onJob(InformerEvent<Job> event) {
    Set<String> keys = new LinkedHashSet<>();
    if (event.type() == InformerEvent.Type.UPDATED && event.previous() != null) {
      owner(event.previous()).ifPresent(keys::add);
    }
    owner(event.object()).ifPresent(keys::add);
    return keys;
  }

  /** The key of the CronJob that controls {@code job}, if that CronJob (by uid) is cached. */
  private Optional<String> owner(Job job) {
    Optional<OwnerReference> ref =
        OwnerReferences.controllerOf(job).filter(r -> "CronJob".equals(r.getKind()));
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    String key = InformerStore.key(job.getMetadata().getNamespace(), ref.get().getName());
    return cronJobs
        .get(key)
        .filter(c -> Objects.equals(c.getMetadata().getUid(), ref.get().getUid()))
        .map(c -> key);
  }
}
