package io.nauta.agent.bootstrap;

import io.nauta.agent.app.AgentNodes;
import io.nauta.agent.app.AgentProperties;
import io.nauta.core.client.KubeClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import reactor.core.publisher.Mono;

/**
 * Joins the cluster before anything of the agent starts, when it is given a bootstrap kubeconfig
 * ({@code nauta.agent.bootstrap.kubeconfig}, kubelet's {@code --bootstrap-kubeconfig}): it makes
 * sure the agent holds
 *
 * <ul>
 *   <li>its client identity, {@code system:node:<node>} ({@link NodeClientBootstrap}), in {@code
 *       nauta.agent.kubeconfig};
 *   <li>unless {@code server.ssl.certificate} is given, a serving certificate for its port signed
 *       by the cluster's server CA ({@link NodeServingBootstrap}, kubelet's {@code
 *       serverTLSBootstrap});
 *   <li>unless {@code nauta.agent.authentication.client-ca-file} is given, the client CA that
 *       authenticates callers of its port ({@link ClientCaFile});
 *   <li>unless {@code nauta.agent.first-node-index} is given, a pod range of its own ({@link
 *       PodRangeChoice}).
 * </ul>
 *
 * <p>So an agent on another host needs the API server's address, its CA and a token, nothing more.
 * It runs when the environment is ready and before the web server exists, because the port's TLS
 * settings come out of it; the agent waits for it as the kubelet does, up to {@code
 * nauta.agent.bootstrap.timeout}.
 */
public final class NodeJoin implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String PROPERTY_SOURCE = "nauta-agent-join";

  /** Picks the node's pod range ({@link PodRangeChoice}) unless it is given. */
  private static final String FIRST_NODE_INDEX = "nauta.agent.first-node-index";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment env = event.getEnvironment();
    AgentProperties props = Binder.get(env).bindOrCreate("nauta.agent", AgentProperties.class);
    AgentProperties.Bootstrap bootstrap = props.bootstrap();
    if (bootstrap.kubeconfig().isBlank()) {
      return;
    }
    if (props.nodes() != 1) {
      throw new IllegalStateException(
          "nauta.agent.bootstrap.kubeconfig needs nauta.agent.nodes=1: a node joins as"
              + " system:node:<its name>, which an agent of "
              + props.nodes()
              + " nodes cannot be");
    }
    if (props.kubeconfig().isBlank()) {
      throw new IllegalStateException(
          "nauta.agent.bootstrap.kubeconfig needs nauta.agent.kubeconfig: the file the agent"
              + " writes its own credentials to, and reads them from on its next start");
    }
    String node = AgentNodes.singleNodeName(props);
    Clock clock = Clock.systemUTC();
    Path pki = Path.of(props.rootDir()).resolve("pki");
    Map<String, Object> settings = new LinkedHashMap<>();
    NodeClientBootstrap identity =
        new NodeClientBootstrap(
            Path.of(props.kubeconfig()),
            Path.of(bootstrap.kubeconfig()),
            node,
            bootstrap.pollInterval(),
            clock);
    Mono<Void> join =
        identity
            .clientConfig()
            .flatMap(
                own -> {
                  KubeClient asNode = new KubeClient(own);
                  Mono<Void> podRange = Mono.empty();
                  if (!env.containsProperty(FIRST_NODE_INDEX)) {
                    podRange =
                        PodRangeChoice.choose(asNode, node, props.clusterCidr())
                            .doOnNext(index -> settings.put(FIRST_NODE_INDEX, index))
                            .then();
                  }
                  Mono<Void> serving = Mono.empty();
                  if (!env.containsProperty("server.ssl.certificate")) {
                    Path cert = pki.resolve("agent-serving.crt");
                    Path key = pki.resolve("agent-serving.key");
                    serving =
                        new NodeServingBootstrap(
                                cert,
                                key,
                                node,
                                dnsNames(node),
                                List.of(props.nodeIp()),
                                bootstrap.pollInterval(),
                                clock)
                            .ensure(asNode);
                    settings.put("server.ssl.certificate", cert.toString());
                    settings.put("server.ssl.certificate-private-key", key.toString());
                  }
                  Mono<Void> clientCa = Mono.empty();
                  String caFile = props.authentication().clientCaFile();
                  if (caFile.isBlank()) {
                    Path ca = pki.resolve("client-ca.crt");
                    clientCa = ClientCaFile.fetch(asNode, ca);
                    caFile = ca.toString();
                    settings.put("nauta.agent.authentication.client-ca-file", caFile);
                  }
                  // The port asks callers for a certificate of the client CA, as deploy/nauta
                  // serves it; others authenticate by token.
                  if (!env.containsProperty("server.ssl.client-auth")) {
                    settings.put("server.ssl.client-auth", "want");
                    settings.put("server.ssl.trust-certificate", caFile);
                  }
                  return podRange.then(serving).then(clientCa);
                });
    join.timeout(
            bootstrap.timeout(),
            Mono.error(
                () ->
                    new IllegalStateException(
                        identity.user()
                            + " did not finish joining within "
                            + bootstrap.timeout()
                            + " (its log says what it waits for): is the controller manager"
                            + " running with its cluster signing CAs, and were its requests"
                            + " approved? (kubectl get csr)")))
        // Start-up, before the application context exists: blocking is what the kubelet does too.
        .block();
    env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, settings));
  }

  private static List<String> dnsNames(String node) {
    Set<String> names = new LinkedHashSet<>();
    names.add(node);
    names.add(io.nauta.core.component.ComponentProbes.hostName().toLowerCase());
    return List.copyOf(names);
  }
}
