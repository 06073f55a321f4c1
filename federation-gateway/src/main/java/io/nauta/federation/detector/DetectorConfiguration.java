package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nauta.core.client.KubeClient;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ClusterPropagationPolicy;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.PropagationPolicy;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.runtime.FederationController;
import io.nauta.federation.runtime.FederationEvents;
import io.nauta.federation.runtime.FederationProperties;
import io.nauta.federation.scheduling.BindingKind;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The resource detector in the gateway: one {@link DetectorController} per template kind, on shared
 * informers of the templates (read generically), the policies and the bindings, run while the
 * gateway holds the lease.
 */
@Configuration(proxyBeanMethods = false)
public class DetectorConfiguration {

  /** The built-in kinds a policy can propagate; custom resources: {@link CustomTemplateKinds}. */
  static final List<ResourceType> TEMPLATE_KINDS =
      List.of(
          BuiltInResources.DEPLOYMENTS,
          BuiltInResources.REPLICASETS,
          BuiltInResources.DAEMONSETS,
          BuiltInResources.JOBS,
          BuiltInResources.CRONJOBS,
          BuiltInResources.SERVICES,
          BuiltInResources.CONFIGMAPS,
          BuiltInResources.SECRETS,
          BuiltInResources.SERVICEACCOUNTS,
          BuiltInResources.NAMESPACES);

  @Bean
  FederationController resourceDetector(
      KubeClient federationClient,
      InformerFactory federationInformers,
      FederationEvents events,
      FederationProperties props) {
    SharedInformer<PropagationPolicy> policies =
        federationInformers.informer(
            KarmadaResources.PROPAGATION_POLICIES, PropagationPolicy.class);
    SharedInformer<ClusterPropagationPolicy> clusterPolicies =
        federationInformers.informer(
            KarmadaResources.CLUSTER_PROPAGATION_POLICIES, ClusterPropagationPolicy.class);
    // One informer per binding kind, shared with the scheduler, propagation and status.
    SharedInformer<ResourceBinding> bindings =
        federationInformers.informer(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class);
    SharedInformer<ResourceBinding> clusterBindings =
        federationInformers.informer(
            KarmadaResources.CLUSTER_RESOURCE_BINDINGS, ResourceBinding.class);
    EventRecorder recorder = events.forComponent(DetectorController.COMPONENT);
    SharedInformer<CustomResourceDefinition> definitions =
        federationInformers.informer(
            BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, CustomResourceDefinition.class);
    BiFunction<ResourceType, SharedInformer<GenericKubernetesResource>, DetectorController>
        controllers =
            (type, templates) ->
                new DetectorController(
                    type,
                    templates,
                    policies,
                    clusterPolicies,
                    BindingKind.forTemplate(type),
                    type.namespaced() ? bindings : clusterBindings,
                    federationClient,
                    recorder,
                    props.workers());
    return runner -> {
      runner.whileLeading(new TemplateWork(TEMPLATE_KINDS, federationClient, controllers));
      runner.whileLeading(new CustomTemplateKinds(definitions, federationClient, controllers));
    };
  }
}
