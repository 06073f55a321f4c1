package io.nauta.controllers.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
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
            : null,
        CLIENT_RATE_LIMIT);
  }

  /**
   * The controller manager's default client rate limit ({@code nauta.client.qps}/{@code burst}
   * override it). kube-controller-manager's 20/30 would hold a 1,000-replica rollout (1,000 pod
   * creates and as many events, then on a rolling update as many deletes too) to a minute and more;
   * 500/1,000 lets the whole pipeline benchmark's 2,000-4,000 writes out in 2-6 s, below the 12-14
   * s it takes, and still keeps one component from taking the API server's every request (about
   * 1,700 creates/s on 2 cores) when it creates tens of thousands of pods.
   */
  static final ClientRateLimit CLIENT_RATE_LIMIT = new ClientRateLimit(500, 1000);

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
