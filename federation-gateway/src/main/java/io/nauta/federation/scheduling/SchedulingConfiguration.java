package io.nauta.federation.scheduling;

import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationEvents;
import io.nauta.federation.runtime.FederationProperties;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler in the gateway: one {@link SchedulingController} for ResourceBindings and one for
 * ClusterResourceBindings, on shared informers, run while the gateway holds the lease.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

  @Bean
  FederationController bindingSchedulers(
      KubeClient federationClient,
      InformerFactory federationInformers,
      FederationEvents events,
      FederationProperties props) {
    List<Controller> controllers =
        List.of(BindingKind.RESOURCE_BINDING, BindingKind.CLUSTER_RESOURCE_BINDING).stream()
            .map(kind -> scheduler(kind, federationClient, federationInformers, events, props))
            .toList();
    return runner -> controllers.forEach(runner::whileLeading);
  }

  private static Controller scheduler(
      BindingKind kind,
      KubeClient client,
      InformerFactory informers,
      FederationEvents events,
      FederationProperties props) {
    // The same informer as propagation's, status's and the detector's: one per kind.
    SharedInformer<ResourceBinding> bindings =
        informers.informer(kind.type(), ResourceBinding.class);
    SharedInformer<Cluster> clusters = informers.informer(KarmadaResources.CLUSTERS, Cluster.class);
    SchedulingController controller =
        new SchedulingController(
            kind.type(),
            bindings,
            clusters,
            client,
            events.forComponent(SchedulingController.COMPONENT),
            Clock.systemUTC(),
            props.workers());
    return controller.controller();
  }
}
