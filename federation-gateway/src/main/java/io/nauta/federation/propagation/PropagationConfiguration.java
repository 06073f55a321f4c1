package io.nauta.federation.propagation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterOverridePolicy;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.OverridePolicy;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.runtime.FederationController;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The propagation controller ({@link BindingPropagator}) on the gateway's runner: it reconciles
 * ResourceBindings, and again when a template, a Cluster or an override policy changes.
 */
@Configuration(proxyBeanMethods = false)
public class PropagationConfiguration {

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
    return new Templates(
        registry,
        federationInformers,
        federationInformers
            .informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
            .store());
  }

  @Bean
  FederationController propagationController(
      KubeClient federationClient,
      InformerFactory federationInformers,
      Templates templates,
      AppliedState applied,
      PropagationMetrics metrics,
      ObjectProvider<MemberClients> members,
      ObjectProvider<MeterRegistry> meters) {
    SharedInformer<ResourceBinding> bindings =
        federationInformers.informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
    SharedInformer<Cluster> clusters =
        federationInformers.informer(KarmadaResources.CLUSTERS, Cluster.class);
    SharedInformer<OverridePolicy> ops =
        federationInformers.informer(KarmadaResources.OVERRIDE_POLICIES, OverridePolicy.class);
    SharedInformer<ClusterOverridePolicy> cops =
        federationInformers.informer(
            KarmadaResources.CLUSTER_OVERRIDE_POLICIES, ClusterOverridePolicy.class);
    MemberClients memberClients = MemberClients.of(members);
    BindingPropagator propagator =
        new BindingPropagator(
            federationClient,
            bindings,
            clusters.store(),
            ops.store(),
            cops.store(),
            templates,
            memberClients,
            applied,
            metrics);
    Controller controller =
        Controller.builder("binding-propagation")
            .primary(
                bindings,
                e ->
                    e.previous() == null
                        || !Objects.equals(e.previous().spec(), e.object().spec())
                        || !Objects.equals(
                            e.previous().metadata().getFinalizers(),
                            e.object().metadata().getFinalizers())
                        || !Objects.equals(
                            e.previous().metadata().getDeletionTimestamp(),
                            e.object().metadata().getDeletionTimestamp())
                        || !Objects.equals(
                            e.previous().metadata().getLabels(), e.object().metadata().getLabels()))
            .watch(clusters, e -> bindings.store().keys())
            .watch(cops, e -> bindings.store().keys())
            .watch(
                ops,
                e ->
                    bindings
                        .store()
                        .byIndex(
                            InformerStore.BY_NAMESPACE, e.object().getMetadata().getNamespace())
                        .stream()
                        .map(InformerStore::keyOf)
                        .toList())
            .reconcile(propagator::reconcile)
            .meterRegistry(meters.getIfAvailable(SimpleMeterRegistry::new))
            .build();
    templates.onTemplateChange(controller::enqueue);
    return runner -> runner.whileLeading(controller);
  }
}
