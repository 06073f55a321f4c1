package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.agent.auth.CallerAuthentication;
import io.nauta.agent.auth.CallerAuthorization;
import io.nauta.agent.auth.KubeletAuthFilter;
import io.nauta.agent.auth.NodeOfRequest;
import io.nauta.agent.events.RecordingPodEvents;
import io.nauta.agent.exec.ContainerStreamsHandler;
import io.nauta.agent.logs.ContainerLogsHandler;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.node.NodeRegistration;
import io.nauta.agent.pods.ApiPodWriter;
import io.nauta.agent.pods.PodWorkers;
import io.nauta.agent.pods.SysctlAllowlist;
import io.nauta.agent.stats.StatsSampler;
import io.nauta.agent.stats.StatsSummaryHandler;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.component.ComponentConfiguration;
import io.nauta.core.component.ComponentSettings;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The node agent as a component (the shared {@link ComponentConfiguration} gives it its API client,
 * informers, probes and lifecycle; no leader election: each node has exactly one agent), the nodes
 * this process runs, their registration and the pod workers.
 */
@Configuration(proxyBeanMethods = false)
@Import(ComponentConfiguration.class)
public class AgentConfiguration {

  /**
   * The agent's credentials: its kubeconfig (written by {@link io.nauta.agent.bootstrap.NodeJoin}
   * before start when it joined with a bootstrap token), or the server URL and token.
   */
  @Bean
  ComponentSettings agentComponent(AgentProperties props) {
    return ComponentSettings.withoutLeaderElection(
        "node agent",
        ClientConfig.fromSettings(props.kubeconfig(), props.server(), props.token()),
        KUBELET_RATE_LIMIT.times(props.nodes()));
  }

  /**
   * The kubelet's default client rate limit (kubeAPIQPS 50, kubeAPIBurst 100 since Kubernetes
   * 1.27), once per node this process runs: an agent of 1,000 simulated nodes renews 1,000 Leases
   * every 10 s besides their statuses, and a limit of one kubelet's would let the node lifecycle
   * controller find them unrenewed. {@code nauta.client.qps}/{@code burst} override it for the
   * whole process.
   */
  static final ClientRateLimit KUBELET_RATE_LIMIT = new ClientRateLimit(50, 100);

  @Bean
  Clock agentClock() {
    return Clock.systemUTC();
  }

  /**
   * Every Service, for the service environment variables of the Docker runtime's containers (the
   * kubelet's service informer) and for the service proxy (kube-proxy's): the component's shared
   * informer, started by the runner, when either uses it. Simulated pods have no environment, so
   * without the proxy nothing reads Services and no watch is opened: the informer is never started.
   */
  @Bean(destroyMethod = "")
  SharedInformer<Service> services(
      InformerFactory informers, KubeClient client, AgentProperties props, Environment env) {
    if ("docker".equalsIgnoreCase(props.runtime().trim())
        || ServiceProxyConfiguration.enabled(env)) {
      return informers.informer(BuiltInResources.SERVICES, Service.class);
    }
    return new SharedInformer<>(client.resource(BuiltInResources.SERVICES, Service.class), null);
  }

  /** Closed after the agent stops: that closes the Docker client. */
  @Bean(destroyMethod = "close")
  AgentNodes agentNodes(
      AgentProperties props, Clock clock, KubeClient client, SharedInformer<Service> services) {
    return AgentNodes.create(
        props,
        clock,
        node -> new RecordingPodEvents(new EventRecorder(client, "kubelet", node)),
        new ApiPodInputs(client, services));
  }

  @Bean
  NodeRegistration nodeRegistration(
      KubeClient client,
      AgentProperties props,
      Clock clock,
      KubeletPort kubeletPort,
      AgentNodes nodes) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(props.cpu()));
    capacity.put("ephemeral-storage", new Quantity(props.ephemeralStorage()));
    capacity.put("memory", new Quantity(props.memory()));
    capacity.put("pods", new Quantity(props.pods()));
    props.extendedResources().forEach((k, v) -> capacity.put(k, new Quantity(v)));
    Map<String, String> labels = new LinkedHashMap<>(props.labels());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", NodeInfo.arch());
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", NodeInfo.arch());
    return new NodeRegistration(
        client.resource(BuiltInResources.NODES, Node.class),
        client.resource(BuiltInResources.LEASES, Lease.class),
        new NodeRegistration.NodeTemplate(capacity, labels, NodeInfo.of(nodes.runtimeVersion())),
        props.leaseDuration(),
        props.statusReportInterval(),
        clock,
        kubeletPort);
  }

  /**
   * One informer on the pods of every node of this process: one watch, routed by node name (started
   * by the runner).
   */
  @Bean(destroyMethod = "")
  SharedInformer<Pod> boundPods(InformerFactory informers, AgentNodes nodes) {
    List<String> names = nodes.all().stream().map(AgentNode::name).toList();
    return informers.informer(
        BuiltInResources.PODS,
        Pod.class,
        null,
        ListOptions.none().withFieldSelector(PodWorkers.fieldSelector(names)));
  }

  @Bean(destroyMethod = "close")
  PodWorkers podWorkers(
      KubeClient client,
      SharedInformer<Pod> boundPods,
      AgentNodes nodes,
      AgentProperties props,
      MeterRegistry meters,
      Clock clock) {
    return new PodWorkers(
        new ApiPodWriter(client.resource(BuiltInResources.PODS, Pod.class)),
        boundPods,
        nodes.all(),
        props.workers(),
        meters,
        clock,
        new SysctlAllowlist(props.allowedUnsafeSysctls()),
        node -> new RecordingPodEvents(new EventRecorder(client, "kubelet", node)));
  }

  /**
   * Every call to the agent's port but the probes is authenticated and authorized through the API
   * server, as the kubelet's webhook modes; only a set-up without security shares a token instead.
   */
  @Bean
  @ConditionalOnExpression(
      "'${nauta.agent.authentication.token:}'.isBlank()"
          + " and '${nauta.agent.authentication.token-file:}'.isBlank()")
  KubeletAuthFilter kubeletAuthFilter(
      KubeClient client,
      AgentProperties props,
      SharedInformer<Pod> boundPods,
      AgentNodes nodes,
      Clock clock) {
    AgentProperties.Authentication auth = props.authentication();
    return new KubeletAuthFilter(
        new CallerAuthentication(
            auth.clientCaFile().isBlank() ? null : Path.of(auth.clientCaFile()),
            client.resource(BuiltInResources.TOKENREVIEWS, TokenReview.class),
            auth.cacheTtl(),
            clock),
        new CallerAuthorization(
            client.resource(BuiltInResources.SUBJECT_ACCESS_REVIEWS, SubjectAccessReview.class),
            auth.authorizedTtl(),
            auth.unauthorizedTtl(),
            clock),
        new NodeOfRequest(boundPods, nodes.all()));
  }

  /** Each node's containers' usage, sampled in the background for {@code /stats/summary}. */
  @Bean(destroyMethod = "close")
  StatsSampler statsSampler(
      AgentNodes nodes, SharedInformer<Pod> boundPods, AgentProperties props, Clock clock) {
    return StatsSampler.of(
            nodes.all(),
            nodes.docker(),
            (namespace, name) -> boundPods.store().get(namespace, name),
            props.stats(),
            clock)
        .start(props.stats().interval());
  }

  /** The kubelet's {@code /stats/summary}, which the API server's resource metrics scrape. */
  @Bean
  RouterFunction<ServerResponse> statsSummary(
      StatsSampler sampler,
      SharedInformer<Pod> boundPods,
      AgentNodes nodes,
      AgentProperties props) {
    return new StatsSummaryHandler(
            sampler, new NodeOfRequest(boundPods, nodes.all()), props.authentication())
        .routes();
  }

  /** The kubelet's {@code /containerLogs}, for the API server's {@code pods/log}. */
  @Bean
  RouterFunction<ServerResponse> containerLogs(
      SharedInformer<Pod> boundPods, AgentNodes nodes, AgentProperties props) {
    return new ContainerLogsHandler(boundPods, nodes, props.authentication()).routes();
  }

  /**
   * The kubelet's {@code /exec} and {@code /attach}, for {@code pods/exec} and {@code pods/attach}.
   */
  @Bean
  RouterFunction<ServerResponse> containerStreams(
      SharedInformer<Pod> boundPods, AgentNodes nodes, AgentProperties props) {
    return new ContainerStreamsHandler(boundPods, nodes, props.authentication()).routes();
  }
}
