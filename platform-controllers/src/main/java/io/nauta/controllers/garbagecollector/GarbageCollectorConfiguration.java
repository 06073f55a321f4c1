package io.nauta.controllers.garbagecollector;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The garbage collector's controllers, one managed controller per followed kind. */
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

  @Bean
  ManagedController garbageCollectorPods(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.PODS);
  }

  @Bean
  ManagedController garbageCollectorReplicaSets(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.REPLICASETS);
  }

  @Bean
  ManagedController garbageCollectorDeployments(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.DEPLOYMENTS);
  }

  @Bean
  ManagedController garbageCollectorServices(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.SERVICES);
  }

  @Bean
  ManagedController garbageCollectorEndpoints(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.ENDPOINTS);
  }

  @Bean
  ManagedController garbageCollectorConfigMaps(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.CONFIGMAPS);
  }

  @Bean
  ManagedController garbageCollectorSecrets(GarbageCollectorControllers gc) {
    return () -> gc.controller(BuiltInResources.SECRETS);
  }
}
