package io.nauta.federation.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.events.EventWriter;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.pki.ClusterPki;
import io.nauta.federation.apiserver.KarmadaApiInstaller;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The federation controllers' runtime inside the gateway, as platform-controllers' {@code
 * ControllersConfiguration} is the controller manager's: one {@link ComponentRunner} (informers,
 * leader election on a Lease in the gateway, work queues) on a loopback {@link KubeClient} to the
 * gateway itself ({@link GatewayLoopback}), which every {@link FederationController} bean registers
 * its work with; the runner starts once the API server listens ({@link FederationLifecycle}).
 *
 * <p>Beans for the controllers: {@link KubeClient} (the gateway, as {@code
 * system:kube-controller-manager}), {@link InformerFactory} (shared informers on it), {@link
 * FederationEvents}. A lost lease cancels the controllers' work and the runner campaigns again
 * ({@link ComponentRunner.Builder#campaignAgainAfterLeaseLoss()}) while the API keeps serving; a
 * storage rewind still runs the {@link LeaseLossAction}, an exit unless a bean replaces it (tests).
 */
@Configuration(proxyBeanMethods = false)
public class FederationRuntimeConfiguration {

  static final String COMPONENT = "federation-controllers";

  @Bean
  GatewayLoopback gatewayLoopback(
      @Value("${server.address:127.0.0.1}") String address,
      @Value("${server.port:7443}") int port,
      ObjectProvider<ClusterPki> pki) {
    return new GatewayLoopback(address, port, pki.getIfAvailable());
  }

  /**
   * Once the API server listens (on the port {@code server.port=0} picked), the client goes there.
   */
  @Bean
  ApplicationListener<ReactiveWebServerInitializedEvent> gatewayLoopbackPort(
      GatewayLoopback loopback) {
    return event -> {
      String namespace = event.getApplicationContext().getServerNamespace();
      if (namespace == null || namespace.isEmpty() || "server".equals(namespace)) {
        loopback.listeningOn(event.getWebServer().getPort());
      }
    };
  }

  /** Started and stopped by the {@link FederationLifecycle}, not destroyed by the context. */
  @Bean(destroyMethod = "")
  ComponentRunner federationRunner(
      FederationProperties props,
      GatewayLoopback loopback,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<LeaseLossAction> onLost) {
    KubeClient client = new KubeClient(loopback, JsonMapper.builder().build());
    FederationProperties.LeaderElection le = props.leaderElection();
    ComponentRunner.Builder builder =
        ComponentRunner.builder(COMPONENT, client)
            .rateLimit(new ClientRateLimit(props.qps(), props.burst()))
            .leaderElection(
                le.enabled()
                    ? LeaderElectionConfig.of(
                            le.leaseNamespace(), le.leaseName(), ComponentRunner.identity())
                        .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod())
                    : null)
            // The API is the users' entry point: a lost lease stops the controllers, not the JVM.
            .campaignAgainAfterLeaseLoss()
            .onLeaseLost(onLost.getIfAvailable(LeaseLossAction::exitProcess));
    meters.ifAvailable(builder::meterRegistry);
    return builder.build();
  }

  /** The gateway itself, as {@code system:kube-controller-manager}, for the controllers. */
  @Bean(destroyMethod = "")
  KubeClient federationClient(ComponentRunner federationRunner) {
    return federationRunner.client();
  }

  /** Shared informers on the gateway, started by the runner. */
  @Bean(destroyMethod = "")
  InformerFactory federationInformers(ComponentRunner federationRunner) {
    return federationRunner.informers();
  }

  /** The controllers' events, written beside their work while this gateway leads. */
  @Bean
  EventWriter federationEventWriter(ObjectProvider<MeterRegistry> registry) {
    return new EventWriter(
        16,
        1000,
        registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new),
        "nauta.federation.events.dropped");
  }

  @Bean
  FederationEvents federationEvents(
      KubeClient federationClient, EventWriter federationEventWriter) {
    return component ->
        new EventRecorder(
            federationClient, component, ComponentProbes.hostName(), federationEventWriter);
  }

  /** Events queued by a leader that lost its lease are dropped with it, never written after. */
  @Bean
  FederationController federationEventWriterWork(EventWriter federationEventWriter) {
    return runner ->
        runner.whileLeading(
            LeaderWork.of(
                "federation-event-writer",
                federationEventWriter::start,
                federationEventWriter::stop));
  }

  @Bean
  FederationLifecycle federationLifecycle(
      FederationProperties props,
      ComponentRunner federationRunner,
      ObjectProvider<FederationController> controllers,
      ObjectProvider<KarmadaApiInstaller> installer) {
    KarmadaApiInstaller api = installer.getIfAvailable();
    return new FederationLifecycle(
        props, federationRunner, controllers, api == null ? Mono.empty() : api.installed());
  }
}
