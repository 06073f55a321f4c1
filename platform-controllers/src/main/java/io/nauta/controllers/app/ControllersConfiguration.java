package io.nauta.controllers.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentConfiguration;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentSettings;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.events.EventWriter;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The controller manager as a component: its settings for the shared {@link ComponentConfiguration}
 * (API client, informers, leader election, probes, lifecycle), on which every controller builds,
 * and its event recorders.
 */
@Configuration(proxyBeanMethods = false)
@Import(ComponentConfiguration.class)
public class ControllersConfiguration {

  @Bean
  ComponentSettings controllerManagerComponent(ControllersProperties props) {
    ControllersProperties.LeaderElection le = props.leaderElection();
    return new ComponentSettings(
        "controller-manager",
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()),
        le.enabled()
            ? LeaderElectionConfig.of(
                    le.leaseNamespace(), le.leaseName(), ComponentRunner.identity())
                .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod())
            : null);
  }

  /**
   * Every controller's events, written beside its work as kube-controller-manager's broadcaster
   * writes them: a ReplicaSet's pod creates do not wait for their {@code SuccessfulCreate} events.
   * At most {@value #EVENT_WRITES} writes at a time and client-go's backlog of 1,000; beyond it
   * events are dropped and counted in {@code nauta.controllers.events.dropped}.
   */
  @Bean
  EventWriter eventWriter(MeterRegistry registry) {
    return new EventWriter(EVENT_WRITES, 1000, registry, "nauta.controllers.events.dropped");
  }

  static final int EVENT_WRITES = 16;

  @Bean
  EventRecorders eventRecorders(KubeClient client, EventWriter writer) {
    return component -> new EventRecorder(client, component, ComponentProbes.hostName(), writer);
  }
}
