package io.nauta.federation.dependencies;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.propagation.PropagationConfiguration;
import io.nauta.federation.propagation.Templates;
import io.nauta.federation.runtime.FederationController;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dependencies distributor ({@link DependenciesDistributor}) on the gateway's runner. */
@Configuration(proxyBeanMethods = false)
public class DependenciesConfiguration {

  @Bean
  FederationController dependenciesDistributor(
      KubeClient federationClient,
      InformerFactory federationInformers,
      Templates templates,
      ObjectProvider<MeterRegistry> meters) {
    SharedInformer<ResourceBinding> bindings =
        federationInformers.informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
    DependenciesDistributor distributor =
        new DependenciesDistributor(federationClient, bindings, templates);
    Controller controller =
        Controller.builder("dependencies-distributor")
            // its output follows the bindings' spec, never their status writes
            .primary(bindings, PropagationConfiguration::specOrMetadataChanged)
            .reconcile(distributor::reconcile)
            .meterRegistry(meters.getIfAvailable(SimpleMeterRegistry::new))
            .build();
    // A workload's change may change what it references.
    templates.onTemplateChange(bindings.store(), controller::enqueue);
    return runner -> runner.whileLeading(controller);
  }
}
