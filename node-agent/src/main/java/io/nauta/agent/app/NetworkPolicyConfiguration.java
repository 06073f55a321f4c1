package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.nauta.agent.netpol.IptablesPolicies;
import io.nauta.agent.netpol.NetworkPolicyAgent;
import io.nauta.agent.netpol.PolicyEnforcement;
import io.nauta.agent.netpol.PolicyRules;
import io.nauta.agent.netpol.RecordedPolicies;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.core.client.ListOptions;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * NetworkPolicy enforcement, when it runs (see {@link NetworkPolicyProperties#mode()}): informers
 * on every NetworkPolicy, Pod and Namespace of the cluster and on the cluster DNS server's
 * Endpoints ({@code kube-dns} in {@code kube-system}, which nodes read for the service proxy), and
 * per-pod iptables chains made from them (Docker) or a record of what they would be (simulated).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NetworkPolicyConfiguration.Enabled.class)
public class NetworkPolicyConfiguration {

  @Bean(destroyMethod = "")
  NetworkPolicyAgent networkPolicyAgent(
      InformerFactory informers,
      AgentNodes nodes,
      NetworkPolicyProperties settings,
      Environment env) {
    List<String> names = nodes.all().stream().map(AgentNode::name).toList();
    PolicyEnforcement enforcement =
        "iptables".equals(mode(env))
            ? new IptablesPolicies(chainNames(names), new Iptables())
            : new RecordedPolicies();
    Set<String> local = Set.copyOf(names);
    return new NetworkPolicyAgent(
        informers.informer(BuiltInResources.NETWORK_POLICIES, NetworkPolicy.class),
        informers.informer(BuiltInResources.PODS, Pod.class),
        informers.informer(BuiltInResources.NAMESPACES, Namespace.class),
        informers.informer(
            BuiltInResources.ENDPOINTS,
            Endpoints.class,
            PolicyRules.DNS_NAMESPACE,
            ListOptions.none().withFieldSelector("metadata.name=" + PolicyRules.DNS_NAME)),
        local::contains,
        enforcement,
        settings.minSyncPeriod(),
        settings.syncPeriod());
  }

  /**
   * The chains of this agent's network policies: a prefix of their own (from the node names and a
   * suffix), so the service proxy's chains and these never count as each other's.
   */
  public static ChainNames chainNames(List<String> nodeNames) {
    List<String> key = new ArrayList<>(nodeNames);
    key.add("#network-policy");
    return ChainNames.forNodes(key);
  }

  /** Enforces as long as the agent runs and, on a graceful stop, removes its rules. */
  @Bean
  ComponentWork networkPolicyWork(NetworkPolicyAgent agent) {
    return runner ->
        runner.whileRunning(LeaderWork.of("network policy", agent::start, agent::close));
  }

  /** {@code iptables}, {@code record} or {@code none}, blank chosen by the runtime. */
  static String mode(Environment env) {
    String mode =
        env.getProperty("nauta.agent.network-policy.mode", "").trim().toLowerCase(Locale.ROOT);
    String runtime = env.getProperty("nauta.agent.runtime", "simulated").trim();
    return switch (mode) {
      case "iptables", "record", "none" -> mode;
      case "" -> "docker".equalsIgnoreCase(runtime) ? "iptables" : "record";
      default ->
          throw new UnsupportedRuntimeException(
              "nauta.agent.network-policy.mode must be iptables, record or none, not '"
                  + mode
                  + "'");
    };
  }

  static class Enabled implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !"none".equals(mode(context.getEnvironment()));
    }
  }
}
