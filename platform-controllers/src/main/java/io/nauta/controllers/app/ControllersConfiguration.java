package io.nauta.controllers.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The component runner (API client, shared informers, leader election, probes) every controller
 * builds on. A {@link LeaseLossAction} bean replaces the exit on a lost lease (tests that run the
 * controller manager inside their own JVM).
 */
@Configuration(proxyBeanMethods = false)
public class ControllersConfiguration {

  /** Started and stopped by the {@link ControllerManager}. */
  @Bean(destroyMethod = "")
  ComponentRunner componentRunner(
      ControllersProperties props, MeterRegistry meters, ObjectProvider<LeaseLossAction> onLost) {
    ControllersProperties.LeaderElection le = props.leaderElection();
    return ComponentRunner.builder(
            "controller-manager",
            ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()))
        .meterRegistry(meters)
        .leaderElection(
            le.enabled()
                ? LeaderElectionConfig.of(
                        le.leaseNamespace(), le.leaseName(), ComponentRunner.identity())
                    .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod())
                : null)
        .onLeaseLost(onLost.getIfAvailable(LeaseLossAction::exitProcess))
        .build();
  }

  @Bean(destroyMethod = "")
  KubeClient kubeClient(ComponentRunner runner) {
    return runner.client();
  }

  /** One informer per kind, shared by every controller (started by the runner). */
  @Bean(destroyMethod = "")
  InformerFactory informerFactory(ComponentRunner runner) {
    return runner.informers();
  }

  @Bean
  EventRecorders eventRecorders(KubeClient client) {
    return component -> new EventRecorder(client, component, ComponentProbes.hostName());
  }

  @Bean
  RouterFunction<ServerResponse> probes(ComponentRunner runner) {
    return runner.probes();
  }
}
