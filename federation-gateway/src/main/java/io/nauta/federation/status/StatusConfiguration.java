package io.nauta.federation.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.propagation.AppliedState;
import io.nauta.federation.propagation.MemberClients;
import io.nauta.federation.propagation.PropagationConfiguration;
import io.nauta.federation.propagation.PropagationControllers;
import io.nauta.federation.propagation.Templates;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The status controllers ({@link BindingStatus}) on the gateway's runner, for ResourceBindings and
 * ClusterResourceBindings: a binding is reconciled when it changes, when propagation's outcome for
 * it changes, when its template changes, and when one of its objects changes in a member ({@link
 * MemberWatches}); member events and propagation outcomes are coalesced per binding for {@link
 * #COALESCE_MEMBER_EVENTS}. Keys are routed by shape: {@code namespace/name} is a
 * ResourceBinding's, a bare name a ClusterResourceBinding's.
 */
@Configuration(proxyBeanMethods = false)
public class StatusConfiguration {

  /**
   * How long a binding's member events and propagation outcomes gather before its status pass: the
   * template's and binding's status at the gateway lag the members' by up to this.
   */
  static final Duration COALESCE_MEMBER_EVENTS = Duration.ofMillis(500);

  @Bean
  FederationController bindingStatusControllers(
      KubeClient federationClient,
      InformerFactory federationInformers,
      Templates templates,
      AppliedState applied,
      ObjectProvider<MemberClients> members,
      PropagationControllers propagation,
      ObjectProvider<MeterRegistry> meters,
      FederationProperties props) {
    MemberWatches watches = new MemberWatches(MemberClients.of(members));
    // An object deleted or edited in a member is put back by propagation.
    watches.onDrift(propagation::enqueue);
    List<Controller> controllers = new ArrayList<>();
    Controller[] byScope = new Controller[2];
    for (ResourceType bindingType : PropagationConfiguration.BINDING_TYPES) {
      SharedInformer<ResourceBinding> bindings =
          federationInformers.informer(bindingType, ResourceBinding.class);
      BindingStatus status =
          new BindingStatus(
              federationClient,
              bindingType,
              bindings,
              templates,
              watches,
              applied,
              Clock.systemUTC());
      Controller controller =
          Controller.builder(bindingType.namespaced() ? "binding-status" : "cluster-binding-status")
              // not on status writes: its own (their echo) and the scheduler's
              .primary(bindings, PropagationConfiguration::specOrMetadataChanged)
              .reconcile(status::reconcile)
              // a pass waits on two writes (binding, template): not two at a time
              .workers(props.workers())
              .meterRegistry(meters.getIfAvailable(SimpleMeterRegistry::new))
              .build();
      templates.onTemplateChange(bindings.store(), controller::enqueue);
      byScope[bindingType.namespaced() ? 0 : 1] = controller;
      controllers.add(controller);
    }
    // A member's events come in bursts (a Deployment's status moves several times as its pods
    // start, in every member); a short delay on the add makes a burst one pass and one write.
    Consumer<String> route =
        key -> byScope[key.contains("/") ? 0 : 1].enqueueAfter(key, COALESCE_MEMBER_EVENTS);
    applied.onChange(route);
    watches.onChange(route);
    return runner -> {
      controllers.forEach(runner::whileLeading);
      // Member watches belong to the leader: a standby holds none.
      runner.whileLeading(LeaderWork.of("member-watches", () -> {}, watches::close));
    };
  }
}
