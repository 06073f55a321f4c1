package io.nauta.federation.mcs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.component.LeaderWork;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.proxy.MemberEndpoints;
import io.nauta.federation.runtime.FederationController;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Multi-cluster services: {@link ServiceExportSync} every {@code nauta.federation.mcs.interval}
 * (default 5 s) while this gateway leads. A pass lists the members' ServiceExports rather than
 * watching them: level-based, a missed change is seen on the next pass.
 */
@Configuration(proxyBeanMethods = false)
public class McsConfiguration {

  @Bean
  FederationController multiClusterServices(
      KubeClient federationClient,
      MemberEndpoints proxyMemberEndpoints,
      @Value("${nauta.federation.mcs.interval:5s}") Duration interval) {
    ServiceExportSync sync =
        new ServiceExportSync(
            () ->
                federationClient
                    .resource(KarmadaResources.CLUSTERS, GenericKubernetesResource.class)
                    .listAll(null, ListOptions.none())
                    .map(l -> l.items().stream().map(c -> c.getMetadata().getName()).toList()),
            new MemberKubeClients(proxyMemberEndpoints));
    AtomicReference<Disposable> loop = new AtomicReference<>();
    return runner ->
        runner.whileLeading(
            LeaderWork.of(
                "multi-cluster-services",
                () ->
                    loop.set(
                        Flux.interval(Duration.ZERO, interval)
                            .onBackpressureDrop()
                            .concatMap(t -> sync.sync().onErrorResume(e -> Mono.empty()), 1)
                            .subscribe()),
                () -> {
                  Disposable d = loop.getAndSet(null);
                  if (d != null) {
                    d.dispose();
                  }
                }));
  }
}
