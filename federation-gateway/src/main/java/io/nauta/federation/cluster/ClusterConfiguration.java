package io.nauta.federation.cluster;

import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Member clusters: their clients ({@link MemberClusters}, for every federation controller) and
 * their health ({@link ClusterStatusController}, while this gateway leads).
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

  @Bean
  MemberClusters memberClusters(InformerFactory informers, ClusterProperties props) {
    return new MemberClusters(
        informers, new ClientRateLimit(props.memberQps(), props.memberBurst()));
  }

  @Bean
  ClusterStatusController clusterStatusController(
      MemberClusters members,
      KubeClient gateway,
      ClusterProperties props,
      FederationProperties federation) {
    return new ClusterStatusController(
        members, gateway, props, federation.workers(), Clock.systemUTC());
  }

  @Bean
  FederationController clusterControllers(MemberClusters members, ClusterStatusController status) {
    return runner -> {
      runner.whileRunning(members.work());
      runner.whileLeading(LeaderWork.of(status.controller()));
    };
  }
}
