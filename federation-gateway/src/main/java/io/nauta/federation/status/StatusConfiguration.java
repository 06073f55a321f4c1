package io.nauta.federation.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.propagation.AppliedState;
import io.nauta.federation.propagation.MemberClients;
import io.nauta.federation.propagation.Templates;
import io.nauta.federation.runtime.FederationController;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The status controller ({@link BindingStatus}) on the gateway's runner: it reconciles a binding
 * when it changes, when propagation's outcome for it changes, when its template changes, and when
 * one of its objects changes in a member ({@link MemberWatches}).
 */
@Configuration(proxyBeanMethods = false)
public class StatusConfiguration {

  @Bean
  FederationController bindingStatusController(
      KubeClient federationClient,
      InformerFactory federationInformers,
      Templates templates,
      AppliedState applied,
      ObjectProvider<MemberClients> members,
      ObjectProvider<MeterRegistry> meters) {
    SharedInformer<ResourceBinding> bindings =
        federationInformers.informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
    MemberWatches watches = new MemberWatches(MemberClients.of(members));
    BindingStatus status =
        new BindingStatus(
            federationClient, bindings, templates, watches, applied, Clock.systemUTC());
    Controller controller =
        Controller.builder("binding-status")
            .primary(bindings)
            .reconcile(status::reconcile)
            .meterRegistry(meters.getIfAvailable(SimpleMeterRegistry::new))
            .build();
    applied.onChange(controller::enqueue);
    templates.onTemplateChange(controller::enqueue);
    watches.onChange(controller::enqueue);
    return runner ->
        runner
            .whileLeading(controller)
            // Member watches belong to the leader: a standby holds none.
            .whileLeading(LeaderWork.of("member-watches", () -> {}, watches::close));
  }
}
