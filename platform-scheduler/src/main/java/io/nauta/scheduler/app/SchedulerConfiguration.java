package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.component.ComponentConfiguration;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentSettings;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.events.EventWriter;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.cycle.SchedulingAlgorithm;
import io.nauta.scheduler.engine.ClusterEvents;
import io.nauta.scheduler.engine.FailureRecorder;
import io.nauta.scheduler.engine.PodScheduler;
import io.nauta.scheduler.engine.SchedulerMetrics;
import io.nauta.scheduler.engine.SchedulingQueue;
import io.nauta.scheduler.plugins.DefaultProfile;
import io.nauta.scheduler.plugins.volumebinding.VolumeBinder;
import io.nauta.scheduler.plugins.volumebinding.VolumeBinding;
import io.nauta.scheduler.plugins.volumebinding.VolumeCache;
import java.util.Random;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires the scheduler: its component settings, informers, cache, algorithm and queue. */
@Configuration(proxyBeanMethods = false)
@Import(ComponentConfiguration.class)
public class SchedulerConfiguration {

  /** Pods that have finished hold no resources: Kubernetes' scheduler does not watch them. */
  static final String LIVE_PODS = "status.phase!=Succeeded,status.phase!=Failed";

  /**
   * The scheduler as a component: the shared {@link ComponentConfiguration} builds its runner (API
   * client, informers, leader election, probes) from these settings.
   */
  @Bean
  ComponentSettings schedulerComponent(SchedulerProperties props) {
    SchedulerProperties.LeaderElection le = props.leaderElection();
    // Schedulers of different names never lock each other out: the lease defaults to the name.
    String leaseName = le.leaseName().isBlank() ? props.name() : le.leaseName();
    return new ComponentSettings(
        "scheduler " + props.name(),
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()),
        le.enabled()
            ? LeaderElectionConfig.of(le.leaseNamespace(), leaseName, ComponentRunner.identity())
                .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod())
            : null,
        CLIENT_RATE_LIMIT);
  }

  /**
   * The scheduler's default client rate limit ({@code nauta.client.qps}/{@code burst} override it).
   * kube-scheduler's 50/100 would hold a 1,000-replica rollout's 1,000 bindings and 1,000 events to
   * 40 s; 500/1,000 lets them out in 2 s, below the 12 s the whole pipeline benchmark takes. The
   * scheduler benchmark sets 5,000/5,000 as upstream's scheduler_perf does.
   */
  static final ClientRateLimit CLIENT_RATE_LIMIT = new ClientRateLimit(500, 1000);

  @Bean
  SchedulerInformers schedulerInformers(InformerFactory factory) {
    SharedInformer<Pod> pods =
        factory.informer(
            BuiltInResources.PODS,
            Pod.class,
            null,
            ListOptions.none().withFieldSelector(LIVE_PODS));
    SharedInformer<Node> nodes = factory.informer(BuiltInResources.NODES, Node.class);
    return new SchedulerInformers(
        pods,
        nodes,
        factory.informer(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class),
        factory.informer(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class),
        factory.informer(BuiltInResources.STORAGE_CLASSES, StorageClass.class));
  }

  @Bean
  VolumeCache volumeCache(SchedulerInformers informers) {
    return new VolumeCache(
        informers.claims().store(),
        informers.volumes().store(),
        informers.storageClasses().store());
  }

  @Bean
  SchedulerCache schedulerCache(SchedulerProperties props) {
    return new SchedulerCache(props.assumedTtl());
  }

  @Bean
  SchedulingAlgorithm schedulingAlgorithm(
      SchedulerProperties props, VolumeCache volumes, KubeClient client) {
    VolumeBinder binder =
        new VolumeBinder(
            volumes,
            client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class),
            client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class),
            client.mapper(),
            props.volumeBinding().bindTimeout(),
            props.volumeBinding().pollInterval());
    return new SchedulingAlgorithm(
        DefaultProfile.create(props.name(), new VolumeBinding(volumes, binder)),
        props.percentageOfNodesToScore(),
        new Random());
  }

  @Bean
  SchedulingQueue schedulingQueue(SchedulerProperties props, MeterRegistry registry) {
    return new SchedulingQueue(registry, props.initialBackoff(), props.maxBackoff());
  }

  @Bean
  SchedulerMetrics schedulerMetrics(MeterRegistry registry, SchedulingQueue queue) {
    return new SchedulerMetrics(registry, queue);
  }

  @Bean
  EventRecorder eventRecorder(KubeClient client, SchedulerProperties props) {
    return new EventRecorder(client, props.name(), ComponentProbes.hostName());
  }

  /**
   * Scheduled events are written beside the bindings, as many at a time as bindings (so they keep
   * pace with them rather than pile up), with client-go's backlog of 1,000 (its maxQueuedEvents)
   * before events are dropped.
   */
  @Bean
  EventWriter eventWriter(SchedulerProperties props, MeterRegistry registry) {
    return new EventWriter(props.parallelism(), 1000, registry, "nauta.scheduler.events.dropped");
  }

  @Bean
  PodScheduler podScheduler(
      SchedulerProperties props,
      SchedulerInformers informers,
      SchedulerCache cache,
      SchedulingAlgorithm algorithm,
      KubeClient client,
      SchedulingQueue queue,
      EventRecorder events,
      EventWriter eventWriter,
      SchedulerMetrics metrics) {
    FailureRecorder failures =
        new FailureRecorder(
            client.resource(BuiltInResources.PODS, Pod.class), events, client.mapper());
    return new PodScheduler(
        props.name(),
        informers.pods().store(),
        cache,
        algorithm,
        client,
        queue,
        failures,
        events,
        eventWriter,
        metrics);
  }

  @Bean
  ClusterEvents clusterEvents(
      SchedulerCache cache, SchedulingQueue queue, PodScheduler scheduler, VolumeCache volumes) {
    return new ClusterEvents(cache, queue, scheduler, volumes);
  }
}
