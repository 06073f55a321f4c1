package io.nauta.controllers.garbagecollector;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.InformerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The garbage collector, on the controller manager's shared client and informers; it registers its
 * controllers (one per followed kind) with the component runner, which runs them while leading.
 */
@Configuration(proxyBeanMethods = false)
public class GarbageCollectorConfiguration {

  @Bean
  GarbageCollectorControllers garbageCollectorControllers(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    return new GarbageCollectorControllers(informers, client, props, meters);
  }
}
