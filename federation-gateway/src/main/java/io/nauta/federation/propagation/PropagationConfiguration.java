package io.nauta.federation.propagation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterOverridePolicy;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.OverridePolicy;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.cluster.MemberClusters;
import io.nauta.federation.runtime.FederationController;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The propagation controllers ({@link BindingPropagator}) on the gateway's runner, one for
 * ResourceBindings and one for ClusterResourceBindings (cluster-scoped templates: Namespaces,
 * ClusterRoles, CRDs...): each reconciles its bindings, and again when a template, a Cluster or an
 * override policy changes.
 */
@Configuration(proxyBeanMethods = false)
public class PropagationConfiguration {

  /** The binding kinds propagated: both read as the {@link ResourceBinding} record. */
  public static final List<ResourceType> BINDING_TYPES =
      List.of(KarmadaResources.RESOURCE_BINDINGS, KarmadaResources.CLUSTER_RESOURCE_BINDINGS);

  /**
   * The members' clients: fedcore's {@link MemberClusters} (from each Cluster's endpoint and
   * Secret), unless the context holds its own {@link MemberClients} (tests reaching members
   * directly).
   */
  @Bean
  @ConditionalOnMissingBean(MemberClients.class)
  MemberClients memberClients(MemberClusters clusters) {
    return clusters::client;
  }

  @Bean
  AppliedState federationAppliedState() {
    return new AppliedState();
  }

  @Bean
  PropagationMetrics federationPropagationMetrics(ObjectProvider<MeterRegistry> meters) {
    return new PropagationMetrics(meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  Templates federationTemplates(ResourceRegistry registry, InformerFactory federationInformers) {
    return new Templates(registry, federationInformers);
  }

  @Bean
  PropagationControllers propagationControllers(
      KubeClient federationClient,
      InformerFactory federationInformers,
      Templates templates,
      AppliedState applied,
      PropagationMetrics metrics,
      ObjectProvider<MemberClients> members,
      ObjectProvider<MeterRegistry> meters,
      io.nauta.federation.runtime.FederationProperties props) {
    SharedInformer<Cluster> clusters =
        federationInformers.informer(KarmadaResources.CLUSTERS, Cluster.class);
    SharedInformer<OverridePolicy> ops =
        federationInformers.informer(KarmadaResources.OVERRIDE_POLICIES, OverridePolicy.class);
    SharedInformer<ClusterOverridePolicy> cops =
        federationInformers.informer(
            KarmadaResources.CLUSTER_OVERRIDE_POLICIES, ClusterOverridePolicy.class);
    List<Controller> controllers =
        BINDING_TYPES.stream()
            .map(
                bindingType -> {
                  SharedInformer<ResourceBinding> bindings =
                      federationInformers.informer(bindingType, ResourceBinding.class);
                  BindingPropagator propagator =
                      new BindingPropagator(
                          federationClient,
                          bindingType,
                          bindings,
                          clusters.store(),
                          ops.store(),
                          cops.store(),
                          templates,
                          MemberClients.of(members),
                          applied,
                          metrics);
                  Controller controller =
                      Controller.builder(
                              bindingType.namespaced()
                                  ? "binding-propagation"
                                  : "cluster-binding-propagation")
                          .primary(bindings, PropagationConfiguration::specOrMetadataChanged)
                          .watch(
                              clusters,
                              e -> clusterChanged(e) ? bindings.store().keys() : List.<String>of())
                          .watch(cops, e -> bindings.store().keys())
                          .watch(
                              ops,
                              e ->
                                  bindings
                                      .store()
                                      .byIndex(
                                          InformerStore.BY_NAMESPACE,
                                          e.object().getMetadata().getNamespace())
                                      .stream()
                                      .map(InformerStore::keyOf)
                                      .toList())
                          .reconcile(propagator::reconcile)
                          // each pass writes to every member: several at once
                          .workers(props.workers())
                          .meterRegistry(meters.getIfAvailable(SimpleMeterRegistry::new))
                          .build();
                  templates.onTemplateChange(bindings.store(), controller::enqueue);
                  return controller;
                })
            .toList();
    return new PropagationControllers(controllers.get(0), controllers.get(1));
  }

  @Bean
  FederationController propagationWork(PropagationControllers controllers) {
    return runner -> controllers.all().forEach(runner::whileLeading);
  }

  /**
   * A Cluster added, removed, changed where overrides look (labels, spec), or turning Ready or not
   * (writes to a member that is not Ready wait for it); not the rest of its status, which the
   * cluster status controller rewrites at every probe.
   */
  static boolean clusterChanged(InformerEvent<Cluster> e) {
    return e.previous() == null
        || e.type() == InformerEvent.Type.DELETED
        || !Objects.equals(e.previous().spec(), e.object().spec())
        || !Objects.equals(e.previous().metadata().getLabels(), e.object().metadata().getLabels())
        || MemberClusters.isReady(e.previous()) != MemberClusters.isReady(e.object());
  }

  /**
   * A binding added, deleted, or changed in its spec or in the metadata the controllers read; not
   * the echo of a status write (the status controller's, about one per member status change, or the
   * scheduler's), which can change no controller's output but status aggregation's own. The primary
   * predicate of propagation and status aggregation, and the detector's binding watch.
   */
  public static boolean specOrMetadataChanged(InformerEvent<ResourceBinding> e) {
    ResourceBinding before = e.previous();
    ResourceBinding after = e.object();
    return e.type() != InformerEvent.Type.UPDATED
        || before == null
        || !Objects.equals(before.spec(), after.spec())
        || !Objects.equals(before.metadata().getFinalizers(), after.metadata().getFinalizers())
        || !Objects.equals(
            before.metadata().getDeletionTimestamp(), after.metadata().getDeletionTimestamp())
        || !Objects.equals(before.metadata().getLabels(), after.metadata().getLabels());
  }
}
