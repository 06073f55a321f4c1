package io.nauta.dns.app;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.component.ComponentConfiguration;
import io.nauta.core.component.ComponentSettings;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.dns.records.ClusterRecords;
import io.nauta.dns.records.ClusterView;
import io.nauta.dns.server.DnsMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires the cluster DNS: its component settings, informers and records. */
@Configuration(proxyBeanMethods = false)
@Import(ComponentConfiguration.class)
public class DnsConfiguration {

  /**
   * Every replica answers queries: no leader election. The client only lists and watches (and keeps
   * one Service), so client-go's default rate limit is plenty.
   */
  @Bean
  ComponentSettings dnsComponent(DnsProperties props) {
    return ComponentSettings.withoutLeaderElection(
        "cluster-dns",
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()),
        new ClientRateLimit(50, 100));
  }

  @Bean
  ClusterView clusterView(InformerFactory factory) {
    return new ClusterView(
        factory.informer(BuiltInResources.SERVICES, Service.class).store(),
        factory.informer(BuiltInResources.ENDPOINTS, Endpoints.class).store(),
        factory.informer(BuiltInResources.PODS, Pod.class).store(),
        factory.informer(BuiltInResources.NAMESPACES, Namespace.class).store());
  }

  @Bean
  ClusterRecords clusterRecords(ClusterView view, DnsProperties props) {
    return new ClusterRecords(view, props.clusterDomain(), props.ttl().toSeconds());
  }

  @Bean
  DnsMetrics dnsMetrics(MeterRegistry registry, DnsProperties props) {
    return new DnsMetrics(registry, "dns://:" + props.port());
  }
}
