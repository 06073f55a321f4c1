package io.nauta.controllers.app;

import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The API client, the shared informers and the probes every controller builds on. */
@Configuration(proxyBeanMethods = false)
public class ControllersConfiguration {

  @Bean(destroyMethod = "")
  KubeClient kubeClient(ControllersProperties props) {
    return new KubeClient(
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()));
  }

  /** One informer per kind, shared by every controller (started by the manager). */
  @Bean(destroyMethod = "close")
  InformerFactory informerFactory(KubeClient client) {
    return new InformerFactory(client);
  }

  @Bean
  EventRecorders eventRecorders(KubeClient client) {
    return component -> new EventRecorder(client, component, ComponentProbes.hostName());
  }

  @Bean
  RouterFunction<ServerResponse> probes(InformerFactory informers) {
    return ComponentProbes.routes(informers::hasSynced, "informers not synced");
  }
}
