package io.nauta.api.admission;

import io.nauta.api.customresource.CustomResources;
import io.nauta.api.customresource.DefinitionStrategy;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of each served type; types without special rules get the plain one. A new kind is
 * its registry entry plus, when it has rules of its own, one {@code register} line here; side
 * effects around its writes (claims, clean-up, graceful deletion) are {@link StoreHooks}, found by
 * {@link Hooks}.
 */
@Component
public class Strategies {

  private final Map<ResourceType, ResourceStrategy> byType = new ConcurrentHashMap<>();
  private final Function<ResourceType, Optional<ResourceStrategy>> custom;

  public Strategies(ResourceRegistry registry) {
    this(registry, t -> Optional.empty());
  }

  /**
   * @param custom the strategy of a custom resource (by its storage type), which comes and goes
   *     with its definition
   */
  @Autowired
  public Strategies(ResourceRegistry registry, CustomResources custom) {
    this(registry, custom::strategy);
  }

  private Strategies(
      ResourceRegistry registry, Function<ResourceType, Optional<ResourceStrategy>> custom) {
    this.custom = custom;
    register(new DefinitionStrategy());
    register(new PodStrategy());
    register(new ServiceStrategy());
    register(new NamespaceStrategy());
    register(new WorkloadStrategy(BuiltInResources.DEPLOYMENTS, true));
    register(new WorkloadStrategy(BuiltInResources.REPLICASETS, false));
    register(new DaemonSetStrategy());
    register(new StatefulSetStrategy());
    register(new JobStrategy());
    register(new CronJobStrategy());
    register(new HorizontalPodAutoscalerStrategy());
    register(new EventStrategy());
    register(new ResourceQuotaStrategy());
    register(new LimitRangeStrategy());
    register(new PersistentVolumeStrategy());
    register(new PersistentVolumeClaimStrategy());
    register(new StorageClassStrategy());
    register(new NetworkPolicyStrategy());
    register(new EndpointSliceStrategy());
    register(new IngressStrategy());
    register(new PodDisruptionBudgetStrategy());
    register(new IngressClassStrategy());
    register(new RbacBindingStrategy(BuiltInResources.ROLE_BINDINGS));
    register(new RbacBindingStrategy(BuiltInResources.CLUSTER_ROLE_BINDINGS));
    register(new io.nauta.api.certificates.CertificateSigningRequestStrategy());
    register(new io.nauta.api.flowcontrol.FlowSchemaStrategy());
    register(new io.nauta.api.flowcontrol.PriorityLevelConfigurationStrategy());
    register(
        new Plain(BuiltInResources.NODES) {
          @Override
          public boolean resetsStatusOnCreate() {
            return false; // the node agent registers its node with its status
          }
        });
    register(
        new Plain(BuiltInResources.ENDPOINTS) {
          @Override
          public void applyDefaults(ObjectNode obj) {
            // SetDefaults_Endpoints
            Defaults.eachObject(
                obj,
                "subsets",
                subset ->
                    Defaults.eachObject(subset, "ports", p -> Defaults.text(p, "protocol", "TCP")));
          }
        });
    register(
        new Plain(BuiltInResources.SECRETS) {
          @Override
          public void applyDefaults(ObjectNode obj) {
            Defaults.text(obj, "type", "Opaque");
            // As in Kubernetes, stringData is a write-only convenience merged into data.
            if (obj.get("stringData") instanceof ObjectNode plain) {
              ObjectNode data = Defaults.object(obj, "data");
              plain
                  .properties()
                  .forEach(
                      e ->
                          data.put(
                              e.getKey(),
                              java.util.Base64.getEncoder()
                                  .encodeToString(
                                      e.getValue()
                                          .asString()
                                          .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
              obj.remove("stringData");
            }
          }
        });
    for (ResourceType t : registry.all()) {
      byType.computeIfAbsent(t, Plain::new);
    }
  }

  private void register(ResourceStrategy s) {
    byType.put(s.type(), s);
  }

  public ResourceStrategy of(ResourceType type) {
    ResourceStrategy s = byType.get(type);
    if (s != null) {
      return s;
    }
    return custom.apply(type).orElseGet(() -> new Plain(type));
  }

  private static class Plain implements ResourceStrategy {
    private final ResourceType type;

    Plain(ResourceType type) {
      this.type = type;
    }

    @Override
    public ResourceType type() {
      return type;
    }
  }
}
