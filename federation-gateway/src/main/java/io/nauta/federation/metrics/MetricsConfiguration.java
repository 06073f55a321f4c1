package io.nauta.federation.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.informer.InformerFactory;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's federation-wide metrics read from its informers ({@link BindingMetrics}); on every
 * replica, leader or not, since the informers run on each.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

  @Bean
  BindingMetrics bindingMetrics(
      InformerFactory federationInformers, ObjectProvider<MeterRegistry> meters) {
    return new BindingMetrics(
        List.of(
            federationInformers
                .informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
                .store(),
            federationInformers
                .informer(KarmadaResources.CLUSTER_RESOURCE_BINDINGS, ResourceBinding.class)
                .store()),
        meters.getIfAvailable(SimpleMeterRegistry::new),
        Clock.systemUTC());
  }
}
