package io.nauta.federation.mcs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.component.LeaderWork;
import io.nauta.federation.cluster.MemberClusters;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Multi-cluster services: {@link ServiceExportController} while this gateway leads, its member
 * informers with it (a standby holds none).
 */
@Configuration(proxyBeanMethods = false)
public class McsConfiguration {

  @Bean
  ServiceExportController serviceExportController(
      MemberClusters members,
      FederationProperties federation,
      ObjectProvider<MeterRegistry> meters) {
    return new ServiceExportController(
        members, federation.workers(), meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  FederationController multiClusterServices(ServiceExportController mcs) {
    return runner -> {
      runner.whileLeading(mcs.controller());
      runner.whileLeading(LeaderWork.of("multi-cluster-services-informers", () -> {}, mcs::close));
    };
  }
}
