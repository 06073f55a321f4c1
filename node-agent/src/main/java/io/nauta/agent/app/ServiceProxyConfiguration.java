package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.services.BridgeHairpin;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.agent.services.ServiceProxy;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The service proxy, when it runs (see {@link ServiceProxyProperties#mode()}): informers on every
 * Service and Endpoints, and the iptables rules made from them.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ServiceProxyConfiguration.IptablesMode.class)
public class ServiceProxyConfiguration {

  /** Every Endpoints: the component's shared informer, started by the runner. */
  @Bean(destroyMethod = "")
  SharedInformer<Endpoints> endpoints(InformerFactory informers) {
    return informers.informer(BuiltInResources.ENDPOINTS, Endpoints.class);
  }

  /**
   * @param services the agent's informer on every Service (AgentConfiguration), shared with the
   *     pods' service environment variables
   */
  @Bean(destroyMethod = "")
  ServiceProxy serviceProxy(
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      AgentNodes nodes,
      AgentProperties props,
      ServiceProxyProperties settings,
      MeterRegistry meters,
      Clock clock) {
    List<String> names = nodes.all().stream().map(AgentNode::name).toList();
    BridgeHairpin hairpin =
        nodes.docker() == null
            ? null
            : new BridgeHairpin(nodes.docker(), names.stream().map(n -> "nauta-" + n).toList());
    return new ServiceProxy(
        services,
        endpoints,
        ChainNames.forNodes(names),
        props.clusterCidr(),
        settings.peerClusterCidrs(),
        new Iptables(),
        hairpin,
        settings.minSyncPeriod(),
        settings.syncPeriod(),
        meters,
        clock);
  }

  /**
   * Runs the proxy as long as the agent runs (it waits for its informers' sync itself) and, on a
   * graceful stop, removes its rules.
   */
  @Bean
  ComponentWork serviceProxyWork(ServiceProxy proxy) {
    return runner ->
        runner.whileRunning(LeaderWork.of("service proxy", proxy::start, proxy::close));
  }

  /** Whether the service proxy runs: iptables when asked for, or by default on Docker. */
  static boolean enabled(Environment env) {
    String mode =
        env.getProperty("nauta.agent.service-proxy.mode", "").trim().toLowerCase(Locale.ROOT);
    String runtime = env.getProperty("nauta.agent.runtime", "simulated").trim();
    return switch (mode) {
      case "iptables" -> true;
      case "none" -> false;
      case "" -> "docker".equalsIgnoreCase(runtime);
      default ->
          throw new UnsupportedRuntimeException(
              "nauta.agent.service-proxy.mode must be iptables or none, not '" + mode + "'");
    };
  }

  static class IptablesMode implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return enabled(context.getEnvironment());
    }
  }
}
