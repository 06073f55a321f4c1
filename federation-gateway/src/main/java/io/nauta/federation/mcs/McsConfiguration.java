package io.nauta.federation.mcs;

import io.nauta.core.component.LeaderWork;
import io.nauta.federation.cluster.MemberClusters;
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
      MemberClusters members, @Value("${nauta.federation.mcs.interval:5s}") Duration interval) {
    // Member clients are fedcore's: cached from the gateway's informers, their writes fenced by
    // this gateway's leadership.
    ServiceExportSync sync =
        new ServiceExportSync(
            () ->
                Mono.fromSupplier(
                    () -> members.clusters().stream().map(c -> c.getMetadata().getName()).toList()),
            name ->
                Mono.justOrEmpty(members.client(name))
                    .switchIfEmpty(
                        Mono.error(
                            new IllegalStateException("no usable endpoint or credentials"))));
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
