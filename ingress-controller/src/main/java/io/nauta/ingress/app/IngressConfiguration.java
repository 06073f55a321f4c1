package io.nauta.ingress.app;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.component.ComponentConfiguration;
import io.nauta.core.component.ComponentSettings;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.ingress.proxy.ProxyMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires the ingress controller: its component settings, informers and metrics. */
@Configuration(proxyBeanMethods = false)
@Import(ComponentConfiguration.class)
public class IngressConfiguration {

  /**
   * Every replica serves traffic: no leader election (each writes the same status, which it skips
   * when already there). The client lists and watches and writes a status now and then.
   */
  @Bean
  ComponentSettings ingressComponent(IngressProperties props) {
    return ComponentSettings.withoutLeaderElection(
        "ingress-controller",
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()),
        new ClientRateLimit(20, 40));
  }

  @Bean
  ClusterView ingressClusterView(InformerFactory factory) {
    return new ClusterView(
        factory.informer(BuiltInResources.INGRESSES, Ingress.class),
        factory.informer(BuiltInResources.INGRESS_CLASSES, IngressClass.class),
        factory.informer(BuiltInResources.SERVICES, Service.class),
        factory.informer(BuiltInResources.ENDPOINTS, Endpoints.class),
        factory.informer(BuiltInResources.SECRETS, Secret.class));
  }

  @Bean
  ProxyMetrics proxyMetrics(MeterRegistry registry) {
    return new ProxyMetrics(registry);
  }
}
