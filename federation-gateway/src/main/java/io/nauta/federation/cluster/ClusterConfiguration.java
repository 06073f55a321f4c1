package io.nauta.federation.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationEvents;
import io.nauta.federation.runtime.FederationProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Member clusters: their clients ({@link MemberClusters}, for every federation controller) and
 * their health ({@link ClusterStatusController}) and failover taint ({@link
 * FailoverTaintController}), both while this gateway leads.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

  @Bean
  MemberClusters memberClusters(
      InformerFactory informers, ClusterProperties props, ComponentRunner federationRunner) {
    return new MemberClusters(
        informers,
        new ClientRateLimit(props.memberQps(), props.memberBurst()),
        // Leading is not enough: on a lease not renewed within its deadline (a pause, a Redis
        // outage) a standby may be about to take over, and the members cannot check the lease.
        federationRunner.leaderFence());
  }

  @Bean
  ClusterStatusController clusterStatusController(
      MemberClusters members,
      KubeClient gateway,
      ClusterProperties props,
      FederationProperties federation,
      ObjectProvider<MeterRegistry> meters) {
    return new ClusterStatusController(
        members,
        gateway,
        props,
        federation.workers(),
        Clock.systemUTC(),
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  FailoverTaintController failoverTaintController(
      MemberClusters members,
      KubeClient gateway,
      ClusterProperties props,
      FederationProperties federation,
      FederationEvents events) {
    return new FailoverTaintController(
        members,
        gateway,
        props.failover(),
        federation.workers(),
        Clock.systemUTC(),
        events.forComponent(FailoverTaintController.COMPONENT));
  }

  @Bean
  FederationController clusterControllers(
      MemberClusters members, ClusterStatusController status, FailoverTaintController failover) {
    return runner -> {
      runner.whileRunning(members.work());
      runner.whileLeading(LeaderWork.of(status.controller()));
      runner.whileLeading(LeaderWork.of(failover.controller()));
    };
  }
}
