package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.Node;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.routes.IpRoutes;
import io.nauta.agent.routes.PodRoutes;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Host-gw routes to the other nodes' pod ranges, when they are kept (see {@link
 * RoutesProperties#enabled()}): an informer on every Node and the routes made from them.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RoutesConfiguration.Enabled.class)
public class RoutesConfiguration {

  @Bean(destroyMethod = "")
  PodRoutes podRoutes(
      InformerFactory informers,
      AgentNodes nodes,
      AgentProperties props,
      RoutesProperties settings) {
    return new PodRoutes(
        informers.informer(BuiltInResources.NODES, Node.class),
        props.clusterCidr(),
        nodes.all().stream().map(AgentNode::name).collect(Collectors.toSet()),
        nodes.all().stream().map(n -> n.podCidr().cidr()).collect(Collectors.toSet()),
        new IpRoutes(),
        settings.protocol(),
        settings.minSyncPeriod(),
        settings.syncPeriod());
  }

  /** Keeps the routes as long as the agent runs and, on a graceful stop, removes them. */
  @Bean
  ComponentWork podRoutesWork(PodRoutes routes) {
    return runner -> runner.whileRunning(LeaderWork.of("pod routes", routes::start, routes::close));
  }

  /** On the Docker runtime unless turned off; never on the simulated one. */
  static boolean enabled(Environment env) {
    String enabled =
        env.getProperty("nauta.agent.routes.enabled", "").trim().toLowerCase(Locale.ROOT);
    boolean docker =
        "docker".equalsIgnoreCase(env.getProperty("nauta.agent.runtime", "simulated").trim());
    return switch (enabled) {
      case "true" -> {
        if (!docker) {
          throw new UnsupportedRuntimeException(
              "nauta.agent.routes.enabled=true needs nauta.agent.runtime=docker: simulated nodes"
                  + " have no bridges to route to");
        }
        yield true;
      }
      case "false" -> false;
      case "" -> docker;
      default ->
          throw new UnsupportedRuntimeException(
              "nauta.agent.routes.enabled must be true or false, not '" + enabled + "'");
    };
  }

  static class Enabled implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return enabled(context.getEnvironment());
    }
  }
}
